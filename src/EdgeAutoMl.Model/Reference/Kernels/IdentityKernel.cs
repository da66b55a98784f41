using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Identity and inference-mode Dropout (the loader removes both; kept for direct use).</summary>
internal sealed class IdentityKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        return [ctx.Shape(0)];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs) => [inputs[0]!];
}
