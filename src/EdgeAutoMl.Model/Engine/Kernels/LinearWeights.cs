using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>Validated, unpacked weights and per-channel constants of FULLY_CONNECTED / CONV2D.</summary>
/// <param name="Bits">Weight bit-width (2..8) of the packed rows.</param>
/// <param name="W">Weights unpacked to one sbyte each, row by row (one row per output channel).</param>
/// <param name="Bias">Per-channel bias (int32 values for an int8 input, int64 for an int16 one).</param>
/// <param name="Mult">Per-channel Q31 requantization multiplier.</param>
/// <param name="Shift">Per-channel requantization shift.</param>
/// <param name="Wide">True for an int16 input: i64 bias, int64 accumulator, <see cref="FixedPoint.Mbqm64"/>.</param>
/// <param name="Single">Format 2: single-rounding requantization for the int32 path.</param>
internal sealed record LinearWeights(int Bits, sbyte[] W, long[] Bias, int[] Mult, int[] Shift, bool Wide, bool Single)
{
    public static LinearWeights Load(BlobModel m, BlobOp op, BlobTensor input, int bits, int channels, int rowLength, int wOff, int bOff, int mOff, int sOff)
    {
        if (bits is < 2 or > 8) throw KernelChecks.Error(op, $"weight bits {bits} outside 2..8");
        if (channels < 1 || rowLength < 1) throw KernelChecks.Error(op, $"{channels} channels × {rowLength} weights invalid");
        long rowBytes = ((long)rowLength * bits + 7) / 8;
        var packed = m.Data(wOff, channels * rowBytes, $"op {op.Index} weights");
        var w = BitPacking.Unpack(packed, channels, rowLength, bits);
        int qmax = (1 << (bits - 1)) - 1;
        foreach (var v in w)
            if (v < -qmax) throw KernelChecks.Error(op, $"weight {v} outside ±{qmax} for {bits} bits");
        bool wide = input.Is16;
        var bias = wide ? m.Longs(bOff, channels, $"op {op.Index} bias")
                        : m.Ints(bOff, channels, $"op {op.Index} bias").Select(v => (long)v).ToArray();
        var mult = m.Ints(mOff, channels, $"op {op.Index} mult");
        var shift = m.Ints(sOff, channels, $"op {op.Index} shift");
        KernelChecks.Multipliers(op, mult, shift);
        if (wide && shift.Any(s => s > 14)) throw KernelChecks.Error(op, "int16 input: shift above 14 (int64 requantization needs -31..14)");
        return new LinearWeights(bits, w, bias, mult, shift, wide, m.SingleRounding);
    }

    /// <summary>Requantizes channel <paramref name="c"/>'s accumulator (int32 wrap for int8 inputs).</summary>
    public int Requantize(int c, long acc) =>
        Wide ? FixedPoint.Mbqm64(acc, Mult[c], Shift[c]) : FixedPoint.Requantize(Single, unchecked((int)acc), Mult[c], Shift[c]);
}
