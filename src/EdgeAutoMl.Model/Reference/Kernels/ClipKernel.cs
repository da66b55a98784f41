using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Clip: bounds from constant inputs 1 and 2 (opset ≥ 11) or min/max attributes (opset 6).</summary>
internal sealed class ClipKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        for (int i = 1; i <= 2; i++)
            if (ctx.Node.Input(i) != null && ctx.Constant(i) == null)
                throw ctx.Unsupported($"bound input {i} must be a constant initializer");
        return [ctx.Shape(0)];
    }

    /// <summary>The (min, max) of a Clip node given its constant bound tensors (null = absent).</summary>
    internal static (float min, float max) Bounds(Node node, float[]? min, float[]? max) =>
        (min?[0] ?? node.GetFloat("min", float.NegativeInfinity), max?[0] ?? node.GetFloat("max", float.PositiveInfinity));

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        var (lo, hi) = Bounds(node, inputs.Length > 1 ? inputs[1]?.Data : null, inputs.Length > 2 ? inputs[2]?.Data : null);
        // max then min, as ONNX defines it (min > max gives max everywhere).
        return [new FloatTensor(x.Shape, x.Data.Select(v => Math.Min(Math.Max(v, lo), hi)).ToArray())];
    }
}
