namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// A constant tensor. Values are held as float (weights, biases, BN statistics); integer
/// initializers (Reshape shapes) also keep their exact int64 values in <see cref="Int64"/>.
/// </summary>
public sealed class Initializer
{
    /// <summary>Creates a float constant.</summary>
    public Initializer(string name, int[] shape, float[] data, long[]? int64 = null)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        if (count != data.Length)
            throw new ModelLoadException($"initializer '{name}': shape ({string.Join(",", shape)}) needs {count} values, has {data.Length}");
        Name = name;
        Shape = shape;
        Data = data;
        Int64 = int64;
    }

    /// <summary>Tensor name.</summary>
    public string Name { get; }
    /// <summary>Dimensions.</summary>
    public int[] Shape { get; }
    /// <summary>Values, C order.</summary>
    public float[] Data { get; }
    /// <summary>Exact values when the ONNX type was an integer type, else null.</summary>
    public long[]? Int64 { get; }
}
