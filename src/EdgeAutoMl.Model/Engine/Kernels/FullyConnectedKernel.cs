using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>FULLY_CONNECTED (op 1): y[n] = clamp(zp_out + MBQM(bias[n] + Σ (x−zp_in)·w[n,k]), act_min, act_max).</summary>
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
        KernelChecks.ActRange(op, actMin, actMax);
        var lw = LinearWeights.Load(m, op, bits, n, k, p[5], p[6], p[7], p[8]);
        int zin = tin.ZeroPoint, zout = tout.ZeroPoint, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        return arena =>
        {
            for (int c = 0; c < n; c++)
            {
                int acc = lw.Bias[c];
                int row = c * k;
                for (int j = 0; j < k; j++)
                    acc = unchecked(acc + ((sbyte)arena[inOff + j] - zin) * lw.W[row + j]);
                int y = unchecked(zout + FixedPoint.Mbqm(acc, lw.Mult[c], lw.Shift[c]));
                arena[outOff + c] = (byte)(sbyte)Math.Clamp(y, actMin, actMax);
            }
        };
    }
}
