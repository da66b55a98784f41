using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Gemm: Y = alpha·A·op(B) + beta·C, C broadcast to [M,N]. transA must be 0.</summary>
internal sealed class GemmKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        var node = ctx.Node;
        ctx.ExpectOutputs(1);
        if (node.GetInt("transA", 0) != 0) throw ctx.Unsupported("transA=1 (only transA=0 is supported)");
        ctx.ExpectRank(0, 2);
        ctx.ExpectRank(1, 2);
        var a = ctx.Shape(0);
        var b = ctx.Shape(1);
        bool transB = node.GetInt("transB", 0) != 0;
        int k = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
        if (a[1] != k) throw ctx.Error($"A {ShapeMath.Format(a)} and B {ShapeMath.Format(b)} (transB={(transB ? 1 : 0)}) disagree on K");
        var outShape = new[] { a[0], n };
        if (ctx.OptionalShape(2) is { } c && (c.Length > 2 || ShapeMath.Broadcast(c, outShape) is not { } bc || !bc.SequenceEqual(outShape)))
            throw ctx.Error($"C {ShapeMath.Format(c)} does not broadcast to {ShapeMath.Format(outShape)}");
        return [outShape];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        bool transB = node.GetInt("transB", 0) != 0;
        float alpha = node.GetFloat("alpha", 1f), beta = node.GetFloat("beta", 1f);
        int m = a.Shape[0], k = a.Shape[1], n = transB ? b.Shape[0] : b.Shape[1];
        var y = new float[m * n];
        var c = inputs.Length > 2 ? inputs[2] : null;
        int[]? cStrides = c == null ? null : ShapeMath.BroadcastStrides(c.Shape, [m, n]);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double acc = 0;
                for (int t = 0; t < k; t++)
                    acc += (double)a.Data[i * k + t] * (transB ? b.Data[j * k + t] : b.Data[t * n + j]);
                double v = alpha * acc;
                if (c != null) v += beta * (double)c.Data[i * cStrides![0] + j * cStrides[1]];
                y[i * n + j] = (float)v;
            }
        return [new FloatTensor([m, n], y)];
    }
}
