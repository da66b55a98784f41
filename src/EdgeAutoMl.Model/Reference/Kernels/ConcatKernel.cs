using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Concat along <c>axis</c> (negative counts from the end).</summary>
internal sealed class ConcatKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var first = ctx.Shape(0);
        int axis = Axis(ctx.Node, first.Length);
        var o = (int[])first.Clone();
        o[axis] = 0;
        for (int i = 0; i < ctx.Node.Inputs.Length; i++)
        {
            var s = ctx.Shape(i);
            if (s.Length != first.Length) throw ctx.Error($"input {i} has rank {s.Length}, input 0 has {first.Length}");
            for (int d = 0; d < s.Length; d++)
                if (d != axis && s[d] != first[d]) throw ctx.Error($"input {i} {ShapeMath.Format(s)} differs from {ShapeMath.Format(first)} off axis {axis}");
            o[axis] += s[axis];
        }
        return [o];
    }

    internal static int Axis(Node node, int rank)
    {
        long a = node.GetInt("axis", long.MinValue);
        if (a == long.MinValue) throw new ModelLoadException($"{node.Where}: attribute 'axis' is required");
        if (a < -rank || a >= rank) throw new ModelLoadException($"{node.Where}: axis {a} outside rank {rank}");
        return (int)(a < 0 ? a + rank : a);
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var xs = inputs.Select(t => t!).ToArray();
        int axis = Axis(node, xs[0].Shape.Length);
        var shape = (int[])xs[0].Shape.Clone();
        shape[axis] = xs.Sum(t => t.Shape[axis]);
        int outer = ShapeMath.Count(shape.AsSpan(0, axis));
        var y = new float[ShapeMath.Count(shape)];
        int k = 0;
        for (int o = 0; o < outer; o++)
            foreach (var t in xs)
            {
                int n = t.Data.Length / outer;
                Array.Copy(t.Data, o * n, y, k, n);
                k += n;
            }
        return [new FloatTensor(shape, y)];
    }
}
