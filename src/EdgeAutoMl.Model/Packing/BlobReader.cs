using System.Buffers.Binary;

namespace EdgeAutoMl.Model.Packing;

/// <summary>A packed blob is malformed; the message names the field or record at fault.</summary>
public sealed class BlobFormatException(string message) : Exception(message);

/// <summary>One tensor record.</summary>
/// <param name="DType">1 = int8, 2 = int16.</param>
/// <param name="Dims">The first <c>rank</c> dims.</param>
/// <param name="ZeroPoint">Zero point.</param>
/// <param name="ArenaOffset">Offset in the arena.</param>
public sealed record BlobTensor(byte DType, int[] Dims, int ZeroPoint, int ArenaOffset)
{
    /// <summary>Element count.</summary>
    public int Elements => Dims.Aggregate(1, (a, b) => a * b);
    /// <summary>Bytes in the arena.</summary>
    public int Bytes => Elements * (DType == BlobFormat.DTypeInt16 ? 2 : 1);
    /// <summary>True for int16.</summary>
    public bool Is16 => DType == BlobFormat.DTypeInt16;
    /// <summary>Smallest q of the dtype.</summary>
    public int QMin => Is16 ? short.MinValue : sbyte.MinValue;
    /// <summary>Largest q of the dtype.</summary>
    public int QMax => Is16 ? short.MaxValue : sbyte.MaxValue;
}

/// <summary>One op record.</summary>
/// <param name="Index">Position in the op table.</param>
/// <param name="OpType">Op type code.</param>
/// <param name="Inputs">Input tensor indices.</param>
/// <param name="Outputs">Output tensor indices.</param>
/// <param name="Params">i32 params.</param>
public sealed record BlobOp(int Index, byte OpType, int[] Inputs, int[] Outputs, int[] Params);

/// <summary>A parsed blob: header fields, tables and the data section.</summary>
public sealed class BlobModel
{
    internal BlobModel(byte[] blob, int arenaBytes, int input, int output, BlobTensor[] tensors, BlobOp[] ops, int dataOffset)
    {
        Blob = blob;
        ArenaBytes = arenaBytes;
        Input = input;
        Output = output;
        Tensors = tensors;
        Ops = ops;
        DataOffset = dataOffset;
    }

    /// <summary>Format version (1 or 2).</summary>
    public int Version { get; init; } = BlobFormat.Version;
    /// <summary>True for format 2: every MBQM is the single-rounding <see cref="Engine.FixedPoint.Mbqm1"/>.</summary>
    public bool SingleRounding => Version >= 2;

    /// <summary>The raw blob.</summary>
    public byte[] Blob { get; }
    /// <summary>Arena size.</summary>
    public int ArenaBytes { get; }
    /// <summary>Input tensor index.</summary>
    public int Input { get; }
    /// <summary>Output tensor index.</summary>
    public int Output { get; }
    /// <summary>Tensor records.</summary>
    public BlobTensor[] Tensors { get; }
    /// <summary>Op records.</summary>
    public BlobOp[] Ops { get; }
    /// <summary>Start of the data section.</summary>
    public int DataOffset { get; }
    /// <summary>Length of the data section.</summary>
    public int DataLength => Blob.Length - DataOffset;

    /// <summary>The data section bytes [offset, offset+length), checked to lie inside it.</summary>
    public ReadOnlySpan<byte> Data(int offset, long length, string what)
    {
        if (offset < 0 || length < 0 || offset + length > DataLength)
            throw new BlobFormatException($"{what}: data reference [{offset}, +{length}) outside the data section of {DataLength} bytes");
        return Blob.AsSpan(DataOffset + offset, (int)length);
    }

    /// <summary>An i64 array in the data section (int16-input bias); must be 4-aligned and inside it.</summary>
    public long[] Longs(int offset, int count, string what)
    {
        if (offset % 4 != 0) throw new BlobFormatException($"{what}: i64 array offset {offset} is not 4-aligned");
        var span = Data(offset, count * 8L, what);
        var v = new long[count];
        for (int i = 0; i < count; i++) v[i] = BinaryPrimitives.ReadInt64LittleEndian(span[(i * 8)..]);
        return v;
    }

    /// <summary>An i16 array in the data section (LUT tables); must be 2-aligned and inside it.</summary>
    public int[] Shorts(int offset, int count, string what)
    {
        if (offset % 2 != 0) throw new BlobFormatException($"{what}: i16 array offset {offset} is not 2-aligned");
        var span = Data(offset, count * 2L, what);
        var v = new int[count];
        for (int i = 0; i < count; i++) v[i] = BinaryPrimitives.ReadInt16LittleEndian(span[(i * 2)..]);
        return v;
    }

    /// <summary>An i32 array in the data section; must be 4-aligned and inside it.</summary>
    public int[] Ints(int offset, int count, string what)
    {
        if (offset % 4 != 0) throw new BlobFormatException($"{what}: i32 array offset {offset} is not 4-aligned");
        var span = Data(offset, count * 4L, what);
        var v = new int[count];
        for (int i = 0; i < count; i++) v[i] = BinaryPrimitives.ReadInt32LittleEndian(span[(i * 4)..]);
        return v;
    }
}

/// <summary>Parses and structurally validates a blob (op-specific checks live with each engine kernel).</summary>
public static class BlobReader
{
    /// <summary>Parses <paramref name="blob"/>; throws <see cref="BlobFormatException"/> saying what is wrong.</summary>
    public static BlobModel Read(byte[] blob)
    {
        if (blob.Length < BlobFormat.HeaderBytes) throw new BlobFormatException($"blob of {blob.Length} bytes is shorter than the {BlobFormat.HeaderBytes}-byte header");
        var s = blob.AsSpan();
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(s);
        if (magic != BlobFormat.Magic) throw new BlobFormatException($"bad magic 0x{magic:X8} (expected 0x{BlobFormat.Magic:X8} \"EAMB\")");
        int version = BinaryPrimitives.ReadUInt16LittleEndian(s[4..]);
        if (version < BlobFormat.MinVersion || version > BlobFormat.Version)
            throw new BlobFormatException($"format version {version} (this reader knows {BlobFormat.MinVersion}..{BlobFormat.Version})");
        int headerBytes = BinaryPrimitives.ReadUInt16LittleEndian(s[6..]);
        if (headerBytes != BlobFormat.HeaderBytes) throw new BlobFormatException($"header_bytes {headerBytes} (expected {BlobFormat.HeaderBytes})");
        int nTensors = BinaryPrimitives.ReadUInt16LittleEndian(s[8..]);
        int nOps = BinaryPrimitives.ReadUInt16LittleEndian(s[10..]);
        if (nTensors is < 1 or > BlobFormat.MaxTensors) throw new BlobFormatException($"n_tensors {nTensors} outside 1..{BlobFormat.MaxTensors}");
        if (nOps is < 1 or > BlobFormat.MaxOps) throw new BlobFormatException($"n_ops {nOps} outside 1..{BlobFormat.MaxOps}");
        int input = BinaryPrimitives.ReadUInt16LittleEndian(s[12..]);
        int output = BinaryPrimitives.ReadUInt16LittleEndian(s[14..]);
        if (input >= nTensors || output >= nTensors) throw new BlobFormatException($"input/output tensor {input}/{output} ≥ n_tensors {nTensors}");
        uint arena = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]);
        uint tOff = BinaryPrimitives.ReadUInt32LittleEndian(s[20..]);
        uint oOff = BinaryPrimitives.ReadUInt32LittleEndian(s[24..]);
        uint dOff = BinaryPrimitives.ReadUInt32LittleEndian(s[28..]);
        if (arena > int.MaxValue) throw new BlobFormatException($"arena_bytes {arena} is implausible");
        if (tOff < BlobFormat.HeaderBytes || tOff + (long)nTensors * BlobFormat.TensorRecordBytes > oOff)
            throw new BlobFormatException($"tensor table [{tOff}, +{nTensors * BlobFormat.TensorRecordBytes}) overlaps the header or the op table at {oOff}");
        if (oOff % 4 != 0 || oOff > dOff || dOff > blob.Length)
            throw new BlobFormatException($"op table offset {oOff} / data offset {dOff} invalid for a blob of {blob.Length} bytes");

        var tensors = new BlobTensor[nTensors];
        for (int i = 0; i < nTensors; i++)
        {
            var r = s.Slice((int)tOff + i * BlobFormat.TensorRecordBytes, BlobFormat.TensorRecordBytes);
            byte dtype = r[0], rank = r[1];
            string at = $"tensor {i}";
            if (dtype is not (BlobFormat.DTypeInt8 or BlobFormat.DTypeInt16))
                throw new BlobFormatException($"{at}: dtype {dtype} not supported (int8 = 1, int16 = 2)");
            if (rank is < 1 or > 4) throw new BlobFormatException($"{at}: rank {rank} outside 1..4");
            var dims = new int[rank];
            for (int d = 0; d < 4; d++)
            {
                int v = BinaryPrimitives.ReadUInt16LittleEndian(r[(2 + d * 2)..]);
                if (v < 1) throw new BlobFormatException($"{at}: dim {d} is 0");
                if (d < rank) dims[d] = v;
                else if (v != 1) throw new BlobFormatException($"{at}: unused dim {d} is {v}, must be 1");
            }
            int zp = BinaryPrimitives.ReadInt16LittleEndian(r[10..]);
            if (dtype == BlobFormat.DTypeInt8 && zp is < -128 or > 127) throw new BlobFormatException($"{at}: int8 zero point {zp} outside -128..127");
            if (dtype == BlobFormat.DTypeInt16 && zp != 0) throw new BlobFormatException($"{at}: int16 zero point {zp} must be 0 (symmetric)");
            uint off = BinaryPrimitives.ReadUInt32LittleEndian(r[12..]);
            if (off % 4 != 0) throw new BlobFormatException($"{at}: arena offset {off} not 4-aligned");
            var t = new BlobTensor(dtype, dims, zp, (int)Math.Min(off, int.MaxValue));
            if (off + (long)t.Bytes > arena) throw new BlobFormatException($"{at}: bytes [{off}, +{t.Bytes}) outside the {arena}-byte arena");
            tensors[i] = t;
        }

        var ops = new BlobOp[nOps];
        long p = oOff;
        for (int i = 0; i < nOps; i++)
        {
            string at = $"op {i}";
            if (p + 4 > dOff) throw new BlobFormatException($"{at}: record runs past the op table");
            byte type = blob[p], nIn = blob[p + 1], nOut = blob[p + 2], nParams = blob[p + 3];
            int expected = BlobFormat.ParamCount(type);
            if (expected < 0) throw new BlobFormatException($"{at}: unknown op type {type}");
            if (nParams != expected) throw new BlobFormatException($"{at}: op type {type} needs {expected} params, record has {nParams}");
            var (minIn, maxIn) = BlobFormat.InputCount(type);
            if (nIn < minIn || nIn > maxIn || nOut != 1)
                throw new BlobFormatException($"{at}: op type {type} takes {minIn}..{maxIn} inputs and 1 output, record has {nIn} and {nOut}");
            int nIdx = nIn + nOut;
            long recordBytes = 4 + 2L * (nIdx + (nIdx % 2)) + 4L * nParams;
            if (p + recordBytes > dOff) throw new BlobFormatException($"{at}: record runs past the op table");
            var idx = new int[nIdx];
            for (int k = 0; k < nIdx; k++)
            {
                idx[k] = BinaryPrimitives.ReadUInt16LittleEndian(s[(int)(p + 4 + 2 * k)..]);
                if (idx[k] >= nTensors) throw new BlobFormatException($"{at}: tensor index {idx[k]} ≥ n_tensors {nTensors}");
            }
            long pp = p + 4 + 2L * (nIdx + (nIdx % 2));
            var parms = new int[nParams];
            for (int k = 0; k < nParams; k++) parms[k] = BinaryPrimitives.ReadInt32LittleEndian(s[(int)(pp + 4 * k)..]);
            ops[i] = new BlobOp(i, type, idx[..nIn], idx[nIn..], parms);
            p += recordBytes;
        }
        return new BlobModel(blob, (int)arena, input, output, tensors, ops, (int)dOff) { Version = version };
    }
}
