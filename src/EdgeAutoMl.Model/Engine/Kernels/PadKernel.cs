using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>PAD (op 11): constant padding of the 4 blob dims; quantization passes through.</summary>
internal sealed class PadKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tout.Dims.Length != tin.Dims.Length) throw KernelChecks.Error(op, "ranks differ");
        if (tout.ZeroPoint != tin.ZeroPoint) throw KernelChecks.Error(op, "output zero point differs from the input's");
        KernelChecks.SameDType(op, tin, tout);
        var id = TransposeKernel.Pad4(tin.Dims);
        var od = TransposeKernel.Pad4(tout.Dims);
        for (int i = 0; i < 4; i++)
        {
            if (p[i] is < 0 or > 65535 || p[4 + i] is < 0 or > 65535) throw KernelChecks.Error(op, "pads must be 0..65535");
            if ((long)id[i] + p[i] + p[4 + i] != od[i]) throw KernelChecks.Error(op, "output dims do not match pads");
        }
        if (p[8] < tin.QMin || p[8] > tin.QMax) throw KernelChecks.Error(op, $"value {p[8]} outside the input dtype's range");
        int es = tin.Is16 ? 2 : 1, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        var y = new Act(tout);
        return arena =>
        {
            for (int i = 0; i < tout.Elements; i++) y.Set(arena, i, p[8]);
            int src = inOff;
            for (int a = 0; a < id[0]; a++)
                for (int b = 0; b < id[1]; b++)
                    for (int c = 0; c < id[2]; c++)
                    {
                        int dst = outOff + ((((a + p[0]) * od[1] + b + p[1]) * od[2] + c + p[2]) * od[3] + p[3]) * es;
                        Buffer.BlockCopy(arena, src, arena, dst, id[3] * es);
                        src += id[3] * es;
                    }
        };
    }
}
