using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>
/// AVG_POOL (op 9): y = zp + round_half_away(Σ(x − zp) / count), count = kh·kw with
/// count_include_pad, else the real positions; quantization passes through.
/// </summary>
internal sealed class AvgPoolKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int kh = p[0], kw = p[1], sh = p[2], sw = p[3], pt = p[4], pl = p[5], incl = p[6], actMin = p[7], actMax = p[8];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        KernelChecks.Rank(op, tin, "input", 3);
        KernelChecks.Rank(op, tout, "output", 3);
        int c = tin.Dims[0], h = tin.Dims[1], w = tin.Dims[2], oh = tout.Dims[1], ow = tout.Dims[2];
        if (tout.Dims[0] != c) throw KernelChecks.Error(op, "channel count differs");
        if (tout.ZeroPoint != tin.ZeroPoint) throw KernelChecks.Error(op, "output zero point differs from the input's");
        KernelChecks.SameDType(op, tin, tout);
        if (kh is < 1 or > 256 || kw is < 1 or > 256) throw KernelChecks.Error(op, $"kernel {kh}x{kw} outside 1..256");
        if (sh is < 1 or > 4096 || sw is < 1 or > 4096) throw KernelChecks.Error(op, "stride out of range");
        if (pt < 0 || pt >= kh || pl < 0 || pl >= kw) throw KernelChecks.Error(op, "pad out of range");
        if (incl is not (0 or 1)) throw KernelChecks.Error(op, $"count_include_pad {incl} must be 0 or 1");
        KernelChecks.ActRange(op, actMin, actMax, tout);
        if ((oh - 1) * sh - pt >= h || (ow - 1) * sw - pl >= w) throw KernelChecks.Error(op, "a window lies entirely in the padding");
        int zp = tin.ZeroPoint;
        var x = new Act(tin);
        var y = new Act(tout);
        return arena =>
        {
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        long sum = 0; // int16 windows can pass 2^31
                        int n = 0;
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = oy * sh - pt + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = ox * sw - pl + kx;
                                if (ix < 0 || ix >= w) continue;
                                sum += x[arena, (ch * h + iy) * w + ix] - zp;
                                n++;
                            }
                        }
                        int count = incl == 1 ? kh * kw : n;
                        long avg = sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                        y.Set(arena, (ch * oh + oy) * ow + ox, (int)Math.Clamp(zp + avg, actMin, actMax));
                    }
        };
    }
}
