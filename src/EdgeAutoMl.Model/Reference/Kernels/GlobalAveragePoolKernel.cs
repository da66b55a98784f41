using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>GlobalAveragePool over all spatial dims: [N,C,...] → [N,C,1,...].</summary>
internal sealed class GlobalAveragePoolKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        if (x.Length < 3) throw ctx.Error($"input {ShapeMath.Format(x)} needs rank ≥ 3");
        return [[x[0], x[1], .. Enumerable.Repeat(1, x.Length - 2)]];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int nc = x.Shape[0] * x.Shape[1];
        int hw = x.Data.Length / Math.Max(nc, 1);
        var y = new float[nc];
        for (int p = 0; p < nc; p++)
        {
            double s = 0;
            for (int i = 0; i < hw; i++) s += x.Data[p * hw + i];
            y[p] = (float)(s / hw);
        }
        return [new FloatTensor([x.Shape[0], x.Shape[1], .. Enumerable.Repeat(1, x.Shape.Length - 2)], y)];
    }
}
