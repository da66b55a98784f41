using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Inference-mode BatchNormalization: y = scale·(x − mean)/sqrt(var + ε) + B per channel.</summary>
internal sealed class BatchNormalizationKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        if (ctx.Node.GetInt("training_mode", 0) != 0) throw ctx.Unsupported("training_mode=1");
        var x = ctx.Shape(0);
        if (x.Length < 2) throw ctx.Error($"input {ShapeMath.Format(x)} needs rank ≥ 2");
        for (int i = 1; i <= 4; i++)
        {
            var s = ctx.Shape(i);
            if (s.Length != 1 || s[0] != x[1]) throw ctx.Error($"input {i} has shape {ShapeMath.Format(s)}, expected ({x[1]})");
        }
        return [x];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        float eps = node.GetFloat("epsilon", 1e-5f);
        int n = x.Shape[0], c = x.Shape[1];
        int inner = x.Data.Length / Math.Max(n * c, 1);
        var y = new float[x.Data.Length];
        for (int ch = 0; ch < c; ch++)
        {
            // Same factorisation as BN folding, so the folded and unfolded graphs round alike.
            double a = inputs[1]!.Data[ch] / Math.Sqrt((double)inputs[4]!.Data[ch] + eps);
            double b = inputs[2]!.Data[ch] - a * inputs[3]!.Data[ch];
            for (int bi = 0; bi < n; bi++)
                for (int i = 0; i < inner; i++)
                {
                    int idx = (bi * c + ch) * inner + i;
                    y[idx] = (float)(a * x.Data[idx] + b);
                }
        }
        return [new FloatTensor(x.Shape, y)];
    }
}
