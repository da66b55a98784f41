using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>
/// CONV2D (op 2), NCHW, groups and dilation; padded inputs contribute 0 (= the input zero point).
/// An int16 input accumulates in int64 and requantizes with MBQM64.
/// </summary>
internal sealed class Conv2DKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int bits = p[0], kh = p[1], kw = p[2], sh = p[3], sw = p[4], pt = p[5], pl = p[6], dh = p[7], dw = p[8], group = p[9];
        int actMin = p[10], actMax = p[11];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        KernelChecks.Rank(op, tin, "input", 3);
        KernelChecks.Rank(op, tout, "output", 3);
        int c = tin.Dims[0], h = tin.Dims[1], w = tin.Dims[2];
        int mo = tout.Dims[0], oh = tout.Dims[1], ow = tout.Dims[2];
        if (group < 1 || c % group != 0 || mo % group != 0) throw KernelChecks.Error(op, $"group {group} does not divide {c} input and {mo} output channels");
        KernelChecks.Window(op, "height", h, oh, kh, sh, pt, dh);
        KernelChecks.Window(op, "width", w, ow, kw, sw, pl, dw);
        KernelChecks.ActRange(op, actMin, actMax, tout);
        int cg = c / group, mg = mo / group, kc = cg * kh * kw;
        var lw = LinearWeights.Load(m, op, tin, bits, mo, kc, p[12], p[13], p[14], p[15]);
        int zin = tin.ZeroPoint, zout = tout.ZeroPoint;
        var x = new Act(tin);
        var y = new Act(tout);
        return arena =>
        {
            for (int oc = 0; oc < mo; oc++)
            {
                int c0 = oc / mg * cg;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        long acc = lw.Bias[oc];
                        for (int ic = 0; ic < cg; ic++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * sh - pt + ky * dh;
                                if (iy < 0 || iy >= h) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * sw - pl + kx * dw;
                                    if (ix < 0 || ix >= w) continue;
                                    int xv = x[arena, ((c0 + ic) * h + iy) * w + ix] - zin;
                                    acc = unchecked(acc + xv * lw.W[oc * kc + (ic * kh + ky) * kw + kx]);
                                }
                            }
                        int v = unchecked(zout + lw.Requantize(oc, acc));
                        y.Set(arena, (oc * oh + oy) * ow + ox, Math.Clamp(v, actMin, actMax));
                    }
            }
        };
    }
}
