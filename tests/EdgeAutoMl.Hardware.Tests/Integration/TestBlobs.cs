using System.Buffers.Binary;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>
/// Hand-built model blobs (firmware/MODEL_FORMAT.md v1) and the integer arithmetic they imply,
/// written here from the spec so the hardware tests depend on no packer.
/// </summary>
internal static class TestBlobs
{
    /// <summary>One FULLY_CONNECTED op, int8 in [K] → int8 out [N], 8-bit weights [N][K].</summary>
    public static byte[] FullyConnected8(sbyte[,] weights, int[] bias, int[] mult, int[] shift, short zpIn, short zpOut, int actMin = -128, int actMax = 127)
    {
        int n = weights.GetLength(0), k = weights.GetLength(1);
        const int headerBytes = 32, tensorBytes = 16, opBytes = 4 + 4 + 9 * 4;
        int tensorsOffset = headerBytes, opsOffset = tensorsOffset + 2 * tensorBytes, dataOffset = opsOffset + opBytes;
        int wOff = 0, biasOff = Align4(n * k), multOff = biasOff + 4 * n, shiftOff = multOff + 4 * n, dataBytes = shiftOff + 4 * n;
        int inArena = 0, outArena = Align4(k), arenaBytes = outArena + Align4(n);

        var b = new byte[dataOffset + dataBytes];
        var s = b.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(s, 0x424D4145);
        BinaryPrimitives.WriteUInt16LittleEndian(s[4..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[6..], headerBytes);
        BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 2);  // tensors
        BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 1); // ops
        BinaryPrimitives.WriteUInt16LittleEndian(s[12..], 0); // input tensor
        BinaryPrimitives.WriteUInt16LittleEndian(s[14..], 1); // output tensor
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], (uint)arenaBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], (uint)tensorsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)opsOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)dataOffset);

        WriteTensor(s[tensorsOffset..], k, zpIn, inArena);
        WriteTensor(s[(tensorsOffset + tensorBytes)..], n, zpOut, outArena);

        var op = s[opsOffset..];
        op[0] = 1; op[1] = 1; op[2] = 1; op[3] = 9;               // FULLY_CONNECTED, 1 in, 1 out, 9 params
        BinaryPrimitives.WriteUInt16LittleEndian(op[4..], 0);     // tensors: in, out (even count: no padding)
        BinaryPrimitives.WriteUInt16LittleEndian(op[6..], 1);
        int[] p = [8, k, n, actMin, actMax, wOff, biasOff, multOff, shiftOff];
        for (int i = 0; i < p.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(op[(8 + 4 * i)..], p[i]);

        var data = s[dataOffset..];
        for (int c = 0; c < n; c++)
            for (int j = 0; j < k; j++) data[wOff + c * k + j] = (byte)weights[c, j]; // 8 bits: one byte per value
        for (int c = 0; c < n; c++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(data[(biasOff + 4 * c)..], bias[c]);
            BinaryPrimitives.WriteInt32LittleEndian(data[(multOff + 4 * c)..], mult[c]);
            BinaryPrimitives.WriteInt32LittleEndian(data[(shiftOff + 4 * c)..], shift[c]);
        }
        return b;
    }

    private static void WriteTensor(Span<byte> t, int elements, short zp, int arenaOffset)
    {
        t[0] = 1; t[1] = 1; // int8, rank 1
        BinaryPrimitives.WriteUInt16LittleEndian(t[2..], (ushort)elements);
        for (int d = 1; d < 4; d++) BinaryPrimitives.WriteUInt16LittleEndian(t[(2 + 2 * d)..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(t[10..], zp);
        BinaryPrimitives.WriteUInt32LittleEndian(t[12..], (uint)arenaOffset);
    }

    private static int Align4(int x) => (x + 3) & ~3;

    // The integer contract of MODEL_FORMAT.md, transcribed.
    public static int Srdhm(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    public static int Rdpot(int x, int e)
    {
        long mask = (1L << e) - 1, rem = x & mask;
        long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> e) + (rem > threshold ? 1 : 0);
    }

    public static int Mbqm(int x, int mult, int shift) =>
        Rdpot(Srdhm(x * (1 << Math.Max(shift, 0)), mult), Math.Max(-shift, 0));

    public static sbyte[] ReferenceFullyConnected(sbyte[] x, sbyte[,] w, int[] bias, int[] mult, int[] shift, int zpIn, int zpOut, int actMin = -128, int actMax = 127)
    {
        int n = w.GetLength(0), k = w.GetLength(1);
        var y = new sbyte[n];
        for (int c = 0; c < n; c++)
        {
            int acc = bias[c];
            for (int j = 0; j < k; j++) acc += (x[j] - zpIn) * w[c, j];
            y[c] = (sbyte)Math.Clamp(zpOut + Mbqm(acc, mult[c], shift[c]), actMin, actMax);
        }
        return y;
    }
}
