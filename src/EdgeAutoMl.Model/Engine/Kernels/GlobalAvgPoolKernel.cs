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
        KernelChecks.ActRange(op, actMin, actMax, tout);
        bool wide = tin.Is16;
        if (wide && shift > 14) throw KernelChecks.Error(op, "int16 input: shift above 14 (int64 requantization needs -31..14)");
        int zin = tin.ZeroPoint, zout = tout.ZeroPoint;
        bool single = m.SingleRounding;
        var x = new Act(tin);
        var y = new Act(tout);
        return arena =>
        {
            for (int ch = 0; ch < c; ch++)
            {
                // int16 sums can pass 2^31: int64 and MBQM64; int8 keeps the int32 wrap.
                long sum = 0;
                for (int i = 0; i < hw; i++) sum += x[arena, ch * hw + i] - zin;
                int r = wide ? FixedPoint.Mbqm64(sum, mult, shift) : FixedPoint.Requantize(single, unchecked((int)sum), mult, shift);
                y.Set(arena, ch, Math.Clamp(unchecked(zout + r), actMin, actMax));
            }
        };
    }
}
