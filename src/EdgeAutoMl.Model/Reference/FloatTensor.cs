namespace EdgeAutoMl.Model.Reference;

/// <summary>A dense float tensor, C order.</summary>
public sealed class FloatTensor
{
    /// <summary>Creates a tensor; <paramref name="data"/> must hold the shape's element count.</summary>
    public FloatTensor(int[] shape, float[] data)
    {
        if (ShapeMath.Count(shape) != data.Length)
            throw new ArgumentException($"shape ({string.Join(",", shape)}) needs {ShapeMath.Count(shape)} values, got {data.Length}");
        Shape = shape;
        Data = data;
    }

    /// <summary>Dimensions.</summary>
    public int[] Shape { get; }
    /// <summary>Values.</summary>
    public float[] Data { get; }

    /// <summary>A zero tensor of the given shape.</summary>
    public static FloatTensor Zeros(int[] shape) => new(shape, new float[ShapeMath.Count(shape)]);
}

/// <summary>Shape arithmetic shared by kernels.</summary>
public static class ShapeMath
{
    /// <summary>Element count of a shape.</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long c = 1;
        foreach (var d in shape) c *= d;
        return checked((int)c);
    }

    /// <summary>"(a,b,c)" for messages.</summary>
    public static string Format(int[] shape) => $"({string.Join(",", shape)})";

    /// <summary>NumPy broadcast of two shapes, or null when incompatible.</summary>
    public static int[]? Broadcast(int[] a, int[] b)
    {
        int r = Math.Max(a.Length, b.Length);
        var o = new int[r];
        for (int i = 0; i < r; i++)
        {
            int da = i < r - a.Length ? 1 : a[i - (r - a.Length)];
            int db = i < r - b.Length ? 1 : b[i - (r - b.Length)];
            if (da != db && da != 1 && db != 1) return null;
            o[i] = Math.Max(da, db);
        }
        return o;
    }

    /// <summary>Strides (in elements) of <paramref name="shape"/> aligned to <paramref name="outShape"/>; broadcast dims get stride 0.</summary>
    public static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        int r = outShape.Length;
        var st = new int[r];
        int s = 1;
        for (int i = r - 1; i >= 0; i--)
        {
            int k = i - (r - shape.Length);
            int d = k >= 0 ? shape[k] : 1;
            st[i] = d == 1 ? 0 : s;
            s *= d;
        }
        return st;
    }
}
