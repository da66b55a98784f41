using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>
/// An element-wise function of one input whose parameters are attributes (Sigmoid,
/// HardSigmoid, HardSwish, LeakyRelu). <see cref="Function"/> is also what the quantizer
/// tabulates into a 256-entry LUT, so float engine and integer LUT share one definition.
/// </summary>
internal sealed class UnaryKernel(Func<Node, Func<float, float>> function) : IOpKernel
{
    /// <summary>The scalar function of <paramref name="node"/> (attributes resolved).</summary>
    public Func<float, float> Function(Node node) => function(node);

    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        return [ctx.Shape(0)];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        var f = function(node);
        return [new FloatTensor(x.Shape, x.Data.Select(f).ToArray())];
    }

    public static UnaryKernel Sigmoid() => new(_ => v => (float)(1 / (1 + Math.Exp(-v))));

    public static UnaryKernel HardSigmoid() => new(n =>
    {
        float a = n.GetFloat("alpha", 0.2f), b = n.GetFloat("beta", 0.5f);
        return v => Math.Clamp(a * v + b, 0f, 1f);
    });

    // HardSwish = x·HardSigmoid(x) with alpha 1/6, beta 0.5 (ONNX opset 14).
    public static UnaryKernel HardSwish() => new(_ => v => v * Math.Clamp(v / 6f + 0.5f, 0f, 1f));

    public static UnaryKernel LeakyRelu() => new(n =>
    {
        float a = n.GetFloat("alpha", 0.01f);
        return v => v >= 0 ? v : a * v;
    });
}
