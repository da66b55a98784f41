using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Reshape with a constant shape (0 copies a dim unless allowzero, -1 is inferred).</summary>
internal sealed class ReshapeKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var shape = ctx.Constant(1) ?? throw ctx.Unsupported("the target shape must be a constant initializer");
        return [OutShape(ctx.Node, ctx.Shape(0), shape.Int64 ?? shape.Data.Select(v => (long)v).ToArray())];
    }

    internal static int[] OutShape(Node node, int[] x, long[] target)
    {
        bool allowZero = node.GetInt("allowzero", 0) != 0;
        var o = new int[target.Length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.Length; i++)
        {
            long t = target[i];
            if (t == -1)
            {
                if (infer >= 0) throw new ModelLoadException($"{node.Where}: more than one -1 in target shape");
                infer = i;
                continue;
            }
            if (t == 0 && !allowZero)
            {
                if (i >= x.Length) throw new ModelLoadException($"{node.Where}: 0 at position {i} but input has rank {x.Length}");
                t = x[i];
            }
            if (t < 0 || t > int.MaxValue) throw new ModelLoadException($"{node.Where}: invalid target dim {target[i]}");
            o[i] = (int)t;
            known *= t;
        }
        long total = ShapeMath.Count(x);
        if (infer >= 0)
        {
            if (known == 0 || total % known != 0) throw new ModelLoadException($"{node.Where}: cannot infer -1 reshaping {ShapeMath.Format(x)} to [{string.Join(",", target)}]");
            o[infer] = (int)(total / known);
        }
        else if (known != total) throw new ModelLoadException($"{node.Where}: cannot reshape {ShapeMath.Format(x)} to [{string.Join(",", target)}]");
        return o;
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var target = inputs[1]!.Data.Select(v => (long)v).ToArray();
        return [new FloatTensor(OutShape(node, inputs[0]!.Shape, target), inputs[0]!.Data)];
    }
}
