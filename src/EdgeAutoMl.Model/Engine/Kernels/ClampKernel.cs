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
        KernelChecks.ActRange(op, actMin, actMax);
        int n = tin.Elements, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        return arena =>
        {
            for (int i = 0; i < n; i++) arena[outOff + i] = (byte)(sbyte)Math.Clamp((sbyte)arena[inOff + i], actMin, actMax);
        };
    }
}
