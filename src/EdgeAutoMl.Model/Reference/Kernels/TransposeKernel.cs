using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>Transpose by <c>perm</c> (default: reversed axes).</summary>
internal sealed class TransposeKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        var perm = Perm(ctx.Node, x.Length);
        return [perm.Select(p => x[p]).ToArray()];
    }

    internal static int[] Perm(Node node, int rank)
    {
        var perm = node.GetInts("perm")?.Select(v => (int)v).ToArray() ?? Enumerable.Range(0, rank).Reverse().ToArray();
        if (perm.Length != rank || perm.Order().Where((v, i) => v != i).Any())
            throw new ModelLoadException($"{node.Where}: perm ({string.Join(",", perm)}) is not a permutation of {rank} axes");
        return perm;
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int r = x.Shape.Length;
        var perm = Perm(node, r);
        var shape = perm.Select(p => x.Shape[p]).ToArray();
        var inStride = new int[r];
        for (int d = r - 1, s = 1; d >= 0; d--) { inStride[d] = s; s *= x.Shape[d]; }
        var y = new float[x.Data.Length];
        var idx = new int[r];
        for (int i = 0; i < y.Length; i++)
        {
            int src = 0;
            for (int d = 0; d < r; d++) src += idx[d] * inStride[perm[d]];
            y[i] = x.Data[src];
            for (int d = r - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
        }
        return [new FloatTensor(shape, y)];
    }
}
