using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Relu: max(x, 0).</summary>
internal sealed class ReluKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        return [ctx.Shape(0)];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        return [new FloatTensor(x.Shape, x.Data.Select(v => v > 0 ? v : 0f).ToArray())];
    }
}
