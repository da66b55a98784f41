namespace EdgeAutoMl.Model.Packing;

/// <summary>Constants of the packed blob, format version 1 (firmware/MODEL_FORMAT.md).</summary>
public static class BlobFormat
{
    /// <summary>"EAMB" read as a little-endian u32.</summary>
    public const uint Magic = 0x424D4145;
    /// <summary>
    /// Newest format version, written by default: 2 = version 1's layout with single-rounding
    /// requantization (MBQM1); 1 = the gemmlowp double rounding (MBQM). Readers accept both.
    /// </summary>
    public const ushort Version = 2;
    /// <summary>Oldest format version readers accept.</summary>
    public const ushort MinVersion = 1;
    /// <summary>Header size.</summary>
    public const int HeaderBytes = 32;
    /// <summary>Tensor record size.</summary>
    public const int TensorRecordBytes = 16;
    /// <summary>Maximum tensors and ops.</summary>
    public const int MaxTensors = 256, MaxOps = 256;
    /// <summary>dtype codes.</summary>
    public const byte DTypeInt8 = 1, DTypeInt16 = 2;

    /// <summary>Op type codes.</summary>
    public const byte OpFullyConnected = 1, OpConv2D = 2, OpMaxPool = 3, OpGlobalAvgPool = 4, OpClamp = 5, OpReshape = 6,
        OpAdd = 7, OpLut = 8, OpAvgPool = 9, OpTranspose = 10, OpPad = 11, OpConcat = 12;

    /// <summary>Entries of an int16-input LUT: q = 128·(i − 256) for i = 0..512, interpolated between.</summary>
    public const int LutInt16Entries = 513;

    /// <summary>Most inputs an op record may carry (CONCAT).</summary>
    public const int MaxInputs = 4;

    /// <summary>The input count range of each op type (ADD takes 2, CONCAT 2..4, the rest 1).</summary>
    public static (int min, int max) InputCount(byte opType) => opType switch
    {
        OpAdd => (2, 2),
        OpConcat => (2, MaxInputs),
        _ => (1, 1),
    };

    /// <summary>The i32 param count each op type must have.</summary>
    public static int ParamCount(byte opType) => opType switch
    {
        OpFullyConnected => 9,
        OpConv2D => 16,
        OpMaxPool => 6,
        OpGlobalAvgPool => 4,
        OpClamp => 2,
        OpReshape => 0,
        OpAdd => 9,
        OpLut => 1,
        OpAvgPool => 9,
        OpTranspose => 4,
        OpPad => 9,
        OpConcat => 3,
        _ => -1,
    };

    /// <summary>Rounds up to a multiple of 4.</summary>
    public static int Align4(int n) => (n + 3) & ~3;

    /// <summary>Bytes of one bit-packed weight row: ceil(k·bits/8).</summary>
    public static int RowBytes(int k, int bits) => (int)(((long)k * bits + 7) / 8);
}
