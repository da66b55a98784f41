using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine;

/// <summary>
/// An integer kernel over a blob op: <see cref="Prepare"/> validates the op against its
/// tensors and data (what the firmware's loader checks) and returns a runnable step.
/// </summary>
internal interface IOpEvaluator
{
    /// <summary>Validates <paramref name="op"/> and returns its evaluation over the arena.</summary>
    Action<byte[]> Prepare(BlobModel model, BlobOp op);
}

/// <summary>Checks and helpers shared by the kernels.</summary>
internal static class KernelChecks
{
    public static BlobFormatException Error(BlobOp op, string message) => new($"op {op.Index} (type {op.OpType}): {message}");

    public static void ActRange(BlobOp op, int min, int max, BlobTensor output)
    {
        if (min < output.QMin || max > output.QMax || min > max)
            throw Error(op, $"act range [{min}, {max}] invalid for {(output.Is16 ? "int16" : "int8")}");
    }

    /// <summary>Ops whose quantization passes through need the same dtype on both sides.</summary>
    public static void SameDType(BlobOp op, BlobTensor input, BlobTensor output)
    {
        if (input.DType != output.DType) throw Error(op, $"input dtype {input.DType} and output dtype {output.DType} differ");
    }

    public static void Rank(BlobOp op, BlobTensor t, string which, params int[] ranks)
    {
        if (!ranks.Contains(t.Dims.Length)) throw Error(op, $"{which} tensor has rank {t.Dims.Length}, expected {string.Join(" or ", ranks)}");
    }

    /// <summary>Outputs of multi-input ops must not share bytes with any input (the firmware's loader rule).</summary>
    public static void NoOverlap(BlobOp op, IEnumerable<BlobTensor> inputs, BlobTensor output)
    {
        foreach (var t in inputs)
            if (t.ArenaOffset < output.ArenaOffset + output.Bytes && output.ArenaOffset < t.ArenaOffset + t.Bytes)
                throw Error(op, "an input overlaps the output");
    }

    public static void Multipliers(BlobOp op, int[] mult, int[] shift)
    {
        for (int i = 0; i < mult.Length; i++)
        {
            if (mult[i] < 0) throw Error(op, $"multiplier {i} is negative ({mult[i]})");
            if (shift[i] is < -31 or > 30) throw Error(op, $"shift {i} = {shift[i]} outside -31..30");
        }
    }

    /// <summary>Conv/pool output size check: the implied bottom/right pad must be ≥ 0 and smaller than the window.</summary>
    public static void Window(BlobOp op, string axis, int input, int output, int k, int stride, int padBegin, int dil)
    {
        if (k < 1 || stride < 1 || dil < 1 || padBegin < 0) throw Error(op, $"{axis}: kernel {k}, stride {stride}, dilation {dil}, pad {padBegin} invalid");
        long extent = (long)dil * (k - 1) + 1;
        if (padBegin >= extent) throw Error(op, $"{axis}: pad {padBegin} ≥ window extent {extent}");
        // The implied end pad makes ONNX's floor formula give `output`: it lies in (−stride, extent).
        long padEnd = (output - 1L) * stride + extent - input - padBegin;
        if (padEnd <= -stride) throw Error(op, $"{axis}: output {output} too small for input {input}");
        if (padEnd >= extent) throw Error(op, $"{axis}: output {output} too large for input {input} (implied end pad {padEnd})");
    }
}

/// <summary>Element access to an arena tensor of either dtype (int16 little-endian, as the firmware stores it).</summary>
internal readonly struct Act(BlobTensor t)
{
    private readonly int _off = t.ArenaOffset;
    private readonly bool _i16 = t.Is16;

    public int this[byte[] arena, int i]
    {
        get => _i16 ? (short)(arena[_off + 2 * i] | (arena[_off + 2 * i + 1] << 8)) : (sbyte)arena[_off + i];
    }

    public void Set(byte[] arena, int i, int v)
    {
        if (_i16)
        {
            arena[_off + 2 * i] = (byte)v;
            arena[_off + 2 * i + 1] = (byte)(v >> 8);
        }
        else arena[_off + i] = (byte)v;
    }
}
