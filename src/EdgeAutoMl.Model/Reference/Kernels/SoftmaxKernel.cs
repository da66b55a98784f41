using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>
/// Softmax along one axis (opset 13 semantics, default axis −1). Opsets 1–12 flatten from
/// <c>axis</c> (default 1) instead; for the classifier heads we quantize (rank 2, axis 1 or
/// −1) both agree.
/// </summary>
internal sealed class SoftmaxKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        Axis(ctx.Node, x.Length);
        return [x];
    }

    private static int Axis(Node node, int rank)
    {
        long a = node.GetInt("axis", -1);
        if (a < -rank || a >= rank) throw new ModelLoadException($"{node.Where}: axis {a} outside rank {rank}");
        return (int)(a < 0 ? a + rank : a);
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int axis = Axis(node, x.Shape.Length);
        int n = x.Shape[axis], inner = ShapeMath.Count(x.Shape.AsSpan(axis + 1)), outer = x.Data.Length / (n * inner);
        var y = new float[x.Data.Length];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = o * n * inner + i;
                float max = float.NegativeInfinity;
                for (int k = 0; k < n; k++) max = Math.Max(max, x.Data[b + k * inner]);
                double sum = 0;
                for (int k = 0; k < n; k++) sum += Math.Exp(x.Data[b + k * inner] - max);
                for (int k = 0; k < n; k++) y[b + k * inner] = (float)(Math.Exp(x.Data[b + k * inner] - max) / sum);
            }
        return [new FloatTensor(x.Shape, y)];
    }
}
