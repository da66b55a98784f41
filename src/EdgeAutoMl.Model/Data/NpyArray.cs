namespace EdgeAutoMl.Model.Data;

/// <summary>Element types we read from and write to .npy files.</summary>
public enum NpyDType
{
    /// <summary>'&lt;f4'</summary>
    Float32,
    /// <summary>'&lt;i8'</summary>
    Int64,
    /// <summary>'&lt;i4'</summary>
    Int32,
}

/// <summary>
/// One array from an .npy file, C order. Exactly one of the data arrays is set, matching
/// <see cref="DType"/>.
/// </summary>
public sealed class NpyArray
{
    /// <summary>Creates a float32 array.</summary>
    public NpyArray(int[] shape, float[] data) : this(shape, NpyDType.Float32, data.Length) => Float32 = data;
    /// <summary>Creates an int64 array.</summary>
    public NpyArray(int[] shape, long[] data) : this(shape, NpyDType.Int64, data.Length) => Int64 = data;
    /// <summary>Creates an int32 array.</summary>
    public NpyArray(int[] shape, int[] data) : this(shape, NpyDType.Int32, data.Length) => Int32 = data;

    private NpyArray(int[] shape, NpyDType dtype, int length)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != length)
            throw new ArgumentException($"shape ({string.Join(",", shape)}) holds {count} elements but data has {length}");
        Shape = shape;
        DType = dtype;
    }

    /// <summary>Dimensions, outermost first.</summary>
    public int[] Shape { get; }
    /// <summary>Element type.</summary>
    public NpyDType DType { get; }
    /// <summary>Data when <see cref="DType"/> is Float32.</summary>
    public float[]? Float32 { get; }
    /// <summary>Data when <see cref="DType"/> is Int64.</summary>
    public long[]? Int64 { get; }
    /// <summary>Data when <see cref="DType"/> is Int32.</summary>
    public int[]? Int32 { get; }

    /// <summary>Element count.</summary>
    public int Length => Float32?.Length ?? Int64?.Length ?? Int32!.Length;

    /// <summary>The data as integers (labels); float data must hold whole numbers.</summary>
    public int[] ToInt32Labels(string source)
    {
        if (Int32 != null) return (int[])Int32.Clone();
        if (Int64 != null)
            return Int64.Select(v => v is < int.MinValue or > int.MaxValue
                ? throw new DataFormatException(source, $"label {v} does not fit in int32")
                : (int)v).ToArray();
        return Float32!.Select(v => v == MathF.Round(v)
            ? (int)v
            : throw new DataFormatException(source, $"label {v} is not a whole number (are these regression targets?)")).ToArray();
    }
}
