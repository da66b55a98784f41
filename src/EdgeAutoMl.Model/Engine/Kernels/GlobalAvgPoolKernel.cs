using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>GLOBAL_AVG_POOL (op 4): y[c] = clamp(zp_out + MBQM(Σ_hw (x − zp_in), mult, shift)), M = s_in/(s_out·H·W).</summary>
internal sealed class GlobalAvgPoolKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int mult = p[0], shift = p[1], actMin = p[2], actMax = p[3];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        KernelChecks.Rank(op, tin, "input", 3);
        int c = tin.Dims[0], hw = tin.Dims[1] * tin.Dims[2];
        bool outOk = (tout.Dims.Length == 1 && tout.Dims[0] == c) || (tout.Dims.Length == 3 && tout.Dims[0] == c && tout.Dims[1] == 1 && tout.Dims[2] == 1);
        if (!outOk) throw KernelChecks.Error(op, $"output dims [{string.Join(",", tout.Dims)}] must be [{c}] or [{c},1,1]");
        KernelChecks.Multipliers(op, [mult], [shift]);
        KernelChecks.ActRange(op, actMin, actMax);
        int zin = tin.ZeroPoint, zout = tout.ZeroPoint, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        return arena =>
        {
            for (int ch = 0; ch < c; ch++)
            {
                int sum = 0;
                for (int i = 0; i < hw; i++) sum = unchecked(sum + (sbyte)arena[inOff + ch * hw + i] - zin);
                int y = unchecked(zout + FixedPoint.Mbqm(sum, mult, shift));
                arena[outOff + ch] = (byte)(sbyte)Math.Clamp(y, actMin, actMax);
            }
        };
    }
}
