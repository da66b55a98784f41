using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>
/// FULLY_CONNECTED (op 1): y[n] = clamp(zp_out + MBQM(bias[n] + Σ (x−zp_in)·w[n,k]), act_min, act_max);
/// an int16 input accumulates in int64 and requantizes with MBQM64.
/// </summary>
internal sealed class FullyConnectedKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int bits = p[0], k = p[1], n = p[2], actMin = p[3], actMax = p[4];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tin.Elements != k) throw KernelChecks.Error(op, $"K = {k} but the input has {tin.Elements} elements");
        if (tout.Elements != n) throw KernelChecks.Error(op, $"N = {n} but the output has {tout.Elements} elements");
        KernelChecks.ActRange(op, actMin, actMax, tout);
        var lw = LinearWeights.Load(m, op, tin, bits, n, k, p[5], p[6], p[7], p[8]);
        int zin = tin.ZeroPoint, zout = tout.ZeroPoint;
        var x = new Act(tin);
        var y = new Act(tout);
        return arena =>
        {
            for (int c = 0; c < n; c++)
            {
                long acc = lw.Bias[c];
                int row = c * k;
                // int64 sums stay exact for int16; for int8 the low 32 bits are the int32 wrap.
                for (int j = 0; j < k; j++)
                    acc = unchecked(acc + (x[arena, j] - zin) * lw.W[row + j]);
                int v = unchecked(zout + lw.Requantize(c, acc));
                y.Set(arena, c, Math.Clamp(v, actMin, actMax));
            }
        };
    }
}
