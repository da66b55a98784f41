namespace EdgeAutoMl.Model.Packing;

/// <summary>
/// b-bit two's complement weights, little-endian bit order: value k occupies stream bits
/// k·b .. k·b+b−1, stream bit i is bit i%8 of byte i/8. Each row starts on a byte boundary.
/// </summary>
public static class BitPacking
{
    /// <summary>Packs rows of <paramref name="rowLength"/> values each.</summary>
    public static byte[] Pack(ReadOnlySpan<sbyte> values, int rowLength, int bits)
    {
        if (bits is < 2 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must be 2..8");
        if (rowLength <= 0 || values.Length % rowLength != 0) throw new ArgumentException($"{values.Length} values do not split into rows of {rowLength}");
        int rows = values.Length / rowLength, rowBytes = BlobFormat.RowBytes(rowLength, bits);
        int lo = -(1 << (bits - 1)), hi = (1 << (bits - 1)) - 1;
        var outp = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < rowLength; k++)
            {
                int v = values[r * rowLength + k];
                if (v < lo || v > hi) throw new ArgumentOutOfRangeException(nameof(values), v, $"value does not fit in {bits} bits");
                int u = v & ((1 << bits) - 1);
                for (int b = 0; b < bits; b++)
                {
                    long bit = (long)k * bits + b;
                    if ((u >> b & 1) != 0) outp[r * rowBytes + bit / 8] |= (byte)(1 << (int)(bit % 8));
                }
            }
        return outp;
    }

    /// <summary>Reads value <paramref name="k"/> of a row starting at <paramref name="row"/>[0], sign-extended.</summary>
    public static int Read(ReadOnlySpan<byte> row, int k, int bits)
    {
        int u = 0;
        long first = (long)k * bits;
        for (int b = 0; b < bits; b++)
        {
            long bit = first + b;
            u |= (row[(int)(bit / 8)] >> (int)(bit % 8) & 1) << b;
        }
        // Sign-extend from `bits` bits.
        int shift = 32 - bits;
        return u << shift >> shift;
    }

    /// <summary>Unpacks rows packed by <see cref="Pack"/>.</summary>
    public static sbyte[] Unpack(ReadOnlySpan<byte> packed, int rows, int rowLength, int bits)
    {
        int rowBytes = BlobFormat.RowBytes(rowLength, bits);
        var v = new sbyte[rows * rowLength];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < rowLength; k++) v[r * rowLength + k] = (sbyte)Read(packed.Slice(r * rowBytes, rowBytes), k, bits);
        return v;
    }
}
