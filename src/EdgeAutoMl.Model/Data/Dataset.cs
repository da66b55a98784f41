namespace EdgeAutoMl.Model.Data;

/// <summary>
/// A labelled data set: <see cref="X"/> holds one flattened float sample per row (C order of
/// <see cref="SampleShape"/>), <see cref="Y"/> the class index of each row.
/// </summary>
public sealed class Dataset
{
    /// <summary>Creates a data set; every row must have the element count of <paramref name="sampleShape"/>.</summary>
    public Dataset(float[][] x, int[] y, int[] sampleShape)
    {
        if (x.Length != y.Length) throw new ArgumentException($"{x.Length} samples but {y.Length} labels");
        int per = sampleShape.Aggregate(1, (a, b) => a * b);
        for (int i = 0; i < x.Length; i++)
            if (x[i].Length != per) throw new ArgumentException($"sample {i} has {x[i].Length} values, expected {per}");
        X = x;
        Y = y;
        SampleShape = sampleShape;
    }

    /// <summary>Samples, each flattened in C order.</summary>
    public float[][] X { get; }
    /// <summary>Class labels.</summary>
    public int[] Y { get; }
    /// <summary>Shape of one sample (the batch dimension excluded).</summary>
    public int[] SampleShape { get; }
    /// <summary>Number of samples.</summary>
    public int Count => X.Length;

    /// <summary>Loads inputs from a float32 .npy and labels from an int64/int32 .npy.</summary>
    public static Dataset Load(string xPath, string yPath)
    {
        var x = NpyReader.ReadFloat32(xPath);
        var y = NpyReader.Read(yPath);
        return FromArrays(x, y, xPath, yPath);
    }

    /// <summary>Loads an .npz holding arrays <c>x</c> (float32) and <c>y</c> (labels).</summary>
    public static Dataset LoadNpz(string path)
    {
        var arrays = NpzReader.Read(path);
        if (!arrays.TryGetValue("x", out var x)) throw new DataFormatException(path, $"no array 'x' (found: {string.Join(", ", arrays.Keys)})");
        if (!arrays.TryGetValue("y", out var y)) throw new DataFormatException(path, $"no array 'y' (found: {string.Join(", ", arrays.Keys)})");
        if (x.DType != NpyDType.Float32) throw new DataFormatException($"{path}[x]", $"expected float32, found {x.DType}");
        return FromArrays(x, y, $"{path}[x]", $"{path}[y]");
    }

    /// <summary>Splits a float32 array into samples along its first axis.</summary>
    public static float[][] SplitSamples(NpyArray x, string source)
    {
        if (x.DType != NpyDType.Float32) throw new DataFormatException(source, $"expected float32, found {x.DType}");
        if (x.Shape.Length < 1) throw new DataFormatException(source, "a 0-d array holds no samples");
        int n = x.Shape[0];
        int per = n == 0 ? 0 : x.Length / n;
        var rows = new float[n][];
        for (int i = 0; i < n; i++) rows[i] = x.Float32!.AsSpan(i * per, per).ToArray();
        return rows;
    }

    private static Dataset FromArrays(NpyArray x, NpyArray y, string xSource, string ySource)
    {
        var rows = SplitSamples(x, xSource);
        if (y.Shape.Length != 1) throw new DataFormatException(ySource, $"labels must be 1-D, found shape ({string.Join(",", y.Shape)})");
        if (y.Shape[0] != rows.Length) throw new DataFormatException(ySource, $"{y.Shape[0]} labels for {rows.Length} samples in {xSource}");
        return new Dataset(rows, y.ToInt32Labels(ySource), x.Shape[1..]);
    }
}
