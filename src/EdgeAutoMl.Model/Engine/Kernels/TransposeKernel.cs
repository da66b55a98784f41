using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>TRANSPOSE (op 10): out.dims[i] = in.dims[perm[i]] over the 4 blob dims; a byte gather.</summary>
internal sealed class TransposeKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var perm = op.Params;
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        int r = tin.Dims.Length;
        if (tout.Dims.Length != r) throw KernelChecks.Error(op, "ranks differ");
        if (tout.ZeroPoint != tin.ZeroPoint) throw KernelChecks.Error(op, "output zero point differs from the input's");
        KernelChecks.SameDType(op, tin, tout);
        var inDims = Pad4(tin.Dims);
        var outDims = Pad4(tout.Dims);
        if (perm.Any(v => v is < 0 or > 3) || perm.Distinct().Count() != 4) throw KernelChecks.Error(op, $"perm ({string.Join(",", perm)}) is not a permutation of 0..3");
        for (int i = 0; i < 4; i++)
        {
            if (i >= r ? perm[i] != i : perm[i] >= r) throw KernelChecks.Error(op, $"perm ({string.Join(",", perm)}) does not fit rank {r}");
            if (outDims[i] != inDims[perm[i]]) throw KernelChecks.Error(op, "output dims do not match perm");
        }
        var inStride = new int[4];
        for (int d = 3, s = 1; d >= 0; d--) { inStride[d] = s; s *= inDims[d]; }
        var st = perm.Select(p => inStride[p]).ToArray();
        int inOff = tin.ArenaOffset, outOff = tout.ArenaOffset, es = tin.Is16 ? 2 : 1;
        return arena =>
        {
            int k = outOff;
            for (int a = 0; a < outDims[0]; a++)
                for (int b = 0; b < outDims[1]; b++)
                    for (int c = 0; c < outDims[2]; c++)
                        for (int d = 0; d < outDims[3]; d++)
                        {
                            int src = inOff + (a * st[0] + b * st[1] + c * st[2] + d * st[3]) * es;
                            for (int e = 0; e < es; e++) arena[k++] = arena[src + e];
                        }
        };
    }

    internal static int[] Pad4(int[] dims) => [.. dims, .. Enumerable.Repeat(1, 4 - dims.Length)];
}
