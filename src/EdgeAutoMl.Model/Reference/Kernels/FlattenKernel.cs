using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Flatten: [d0..d(axis-1)] × [d(axis)..] as a 2-D tensor.</summary>
internal sealed class FlattenKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        return [OutShape(ctx.Node, ctx.Shape(0))];
    }

    private static int[] OutShape(Node node, int[] x)
    {
        long axis = node.GetInt("axis", 1);
        if (axis < 0) axis += x.Length;
        if (axis < 0 || axis > x.Length) throw new ModelLoadException($"{node.Where}: axis {node.GetInt("axis", 1)} out of range for rank {x.Length}");
        return [ShapeMath.Count(x.AsSpan(0, (int)axis)), ShapeMath.Count(x.AsSpan((int)axis))];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs) => [new FloatTensor(OutShape(node, inputs[0]!.Shape), inputs[0]!.Data)];
}
