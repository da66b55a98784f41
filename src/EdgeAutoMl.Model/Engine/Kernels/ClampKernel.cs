using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>CLAMP (op 5): y = clamp(x, act_min, act_max); quantization passes through.</summary>
internal sealed class ClampKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        int actMin = op.Params[0], actMax = op.Params[1];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tin.Elements != tout.Elements) throw KernelChecks.Error(op, $"input has {tin.Elements} elements, output {tout.Elements}");
        if (tout.ZeroPoint != tin.ZeroPoint) throw KernelChecks.Error(op, "output zero point differs from the input's");
        KernelChecks.SameDType(op, tin, tout);
        KernelChecks.ActRange(op, actMin, actMax, tout);
        int n = tin.Elements;
        var x = new Act(tin);
        var y = new Act(tout);
        return arena =>
        {
            for (int i = 0; i < n; i++) y.Set(arena, i, Math.Clamp(x[arena, i], actMin, actMax));
        };
    }
}
