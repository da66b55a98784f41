using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>MatMul with NumPy semantics (1-D promotion, broadcast batch dimensions).</summary>
internal sealed class MatMulKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        return [Plan(ctx.Shape(0), ctx.Shape(1), ctx.Error).outShape];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var (outShape, batch, m, k, n, aShape, bShape) = Plan(a.Shape, b.Shape, msg => new ModelLoadException($"{node.Where}: {msg}"));
        var y = new float[ShapeMath.Count(outShape)];
        var aSt = ShapeMath.BroadcastStrides(aShape[..^2], batch);
        var bSt = ShapeMath.BroadcastStrides(bShape[..^2], batch);
        int nb = ShapeMath.Count(batch);
        var idx = new int[batch.Length];
        for (int bi = 0; bi < nb; bi++)
        {
            int rem = bi, aOff = 0, bOff = 0;
            for (int d = batch.Length - 1; d >= 0; d--)
            {
                idx[d] = rem % batch[d];
                rem /= batch[d];
                aOff += idx[d] * aSt[d];
                bOff += idx[d] * bSt[d];
            }
            aOff *= m * k;
            bOff *= k * n;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double acc = 0;
                    for (int t = 0; t < k; t++) acc += (double)a.Data[aOff + i * k + t] * b.Data[bOff + t * n + j];
                    y[(bi * m + i) * n + j] = (float)acc;
                }
        }
        return [new FloatTensor(outShape, y)];
    }

    private static (int[] outShape, int[] batch, int m, int k, int n, int[] aShape, int[] bShape) Plan(
        int[] a, int[] b, Func<string, Exception> error)
    {
        if (a.Length == 0 || b.Length == 0) throw error("MatMul inputs must have rank ≥ 1");
        var a2 = a.Length == 1 ? new[] { 1, a[0] } : a;
        var b2 = b.Length == 1 ? new[] { b[0], 1 } : b;
        if (a2[^1] != b2[^2]) throw error($"A {ShapeMath.Format(a)} and B {ShapeMath.Format(b)} disagree on K");
        var batch = ShapeMath.Broadcast(a2[..^2], b2[..^2]) ?? throw error($"batch dims of {ShapeMath.Format(a)} and {ShapeMath.Format(b)} do not broadcast");
        var outShape = new List<int>(batch);
        if (a.Length > 1) outShape.Add(a2[^2]);
        if (b.Length > 1) outShape.Add(b2[^1]);
        return ([.. outShape], batch, a2[^2], a2[^1], b2[^1], a2, b2);
    }
}
