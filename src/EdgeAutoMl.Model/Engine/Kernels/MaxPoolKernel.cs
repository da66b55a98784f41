using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>MAX_POOL (op 3): max over the window, padded positions ignored; quantization passes through.</summary>
internal sealed class MaxPoolKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int kh = p[0], kw = p[1], sh = p[2], sw = p[3], pt = p[4], pl = p[5];
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        KernelChecks.Rank(op, tin, "input", 3);
        KernelChecks.Rank(op, tout, "output", 3);
        int c = tin.Dims[0], h = tin.Dims[1], w = tin.Dims[2], oh = tout.Dims[1], ow = tout.Dims[2];
        if (tout.Dims[0] != c) throw KernelChecks.Error(op, $"output channels {tout.Dims[0]} != input channels {c}");
        if (tout.ZeroPoint != tin.ZeroPoint) throw KernelChecks.Error(op, "output zero point differs from the input's");
        KernelChecks.SameDType(op, tin, tout);
        KernelChecks.Window(op, "height", h, oh, kh, sh, pt, 1);
        KernelChecks.Window(op, "width", w, ow, kw, sw, pl, 1);
        var x = new Act(tin);
        var y = new Act(tout);
        int qmin = tin.QMin;
        return arena =>
        {
            for (int ch = 0; ch < c; ch++)
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++)
                    {
                        int best = qmin;
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = oy * sh - pt + ky;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = ox * sw - pl + kx;
                                if (ix < 0 || ix >= w) continue;
                                best = Math.Max(best, x[arena, (ch * h + iy) * w + ix]);
                            }
                        }
                        y.Set(arena, (ch * oh + oy) * ow + ox, best);
                    }
        };
    }
}
