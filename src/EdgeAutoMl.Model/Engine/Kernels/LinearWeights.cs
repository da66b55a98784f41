using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>Validated, unpacked weights and per-channel constants of FULLY_CONNECTED / CONV2D.</summary>
internal sealed record LinearWeights(int Bits, sbyte[] W, int[] Bias, int[] Mult, int[] Shift)
{
    public static LinearWeights Load(BlobModel m, BlobOp op, int bits, int channels, int rowLength, int wOff, int bOff, int mOff, int sOff)
    {
        if (bits is < 2 or > 8) throw KernelChecks.Error(op, $"weight bits {bits} outside 2..8");
        if (channels < 1 || rowLength < 1) throw KernelChecks.Error(op, $"{channels} channels × {rowLength} weights invalid");
        long rowBytes = ((long)rowLength * bits + 7) / 8;
        var packed = m.Data(wOff, channels * rowBytes, $"op {op.Index} weights");
        var w = BitPacking.Unpack(packed, channels, rowLength, bits);
        int qmax = (1 << (bits - 1)) - 1;
        foreach (var v in w)
            if (v < -qmax) throw KernelChecks.Error(op, $"weight {v} outside ±{qmax} for {bits} bits");
        var bias = m.Ints(bOff, channels, $"op {op.Index} bias");
        var mult = m.Ints(mOff, channels, $"op {op.Index} mult");
        var shift = m.Ints(sOff, channels, $"op {op.Index} shift");
        KernelChecks.Multipliers(op, mult, shift);
        return new LinearWeights(bits, w, bias, mult, shift);
    }
}
