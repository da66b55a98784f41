using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Element-wise Add / Mul with NumPy broadcasting.</summary>
internal sealed class BinaryKernel(Func<float, float, float> op) : IOpKernel
{
    public static BinaryKernel Add() => new((a, b) => a + b);
    public static BinaryKernel Mul() => new((a, b) => a * b);

    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var a = ctx.Shape(0);
        var b = ctx.Shape(1);
        return [ShapeMath.Broadcast(a, b) ?? throw ctx.Error($"shapes {ShapeMath.Format(a)} and {ShapeMath.Format(b)} do not broadcast")];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var shape = ShapeMath.Broadcast(a.Shape, b.Shape)!;
        var sa = ShapeMath.BroadcastStrides(a.Shape, shape);
        var sb = ShapeMath.BroadcastStrides(b.Shape, shape);
        var y = new float[ShapeMath.Count(shape)];
        for (int i = 0; i < y.Length; i++)
        {
            int rem = i, ia = 0, ib = 0;
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                int x = rem % shape[d];
                rem /= shape[d];
                ia += x * sa[d];
                ib += x * sb[d];
            }
            y[i] = op(a.Data[ia], b.Data[ib]);
        }
        return [new FloatTensor(shape, y)];
    }
}
