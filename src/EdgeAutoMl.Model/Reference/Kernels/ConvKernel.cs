using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>2-D Conv (NCHW) with strides, pads, auto_pad, dilations and groups.</summary>
internal sealed class ConvKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        var w = ctx.Shape(1);
        if (x.Length != 4) throw ctx.Unsupported($"input rank {x.Length} (only 2-D convolution on NCHW is supported)");
        ctx.ExpectRank(1, 4);
        long group = ctx.Node.GetInt("group", 1);
        if (group < 1 || group > x[1]) throw ctx.Error($"group {group} invalid for {x[1]} input channels");
        if (x[1] != w[1] * group) throw ctx.Error($"input channels {x[1]} != weight channels {w[1]} × group {group}");
        if (w[0] % group != 0) throw ctx.Error($"output channels {w[0]} not divisible by group {group}");
        if (ctx.Node.GetInts("kernel_shape") is { } ks && (ks.Length != 2 || ks[0] != w[2] || ks[1] != w[3]))
            throw ctx.Error($"kernel_shape [{string.Join(",", ks)}] disagrees with weight {ShapeMath.Format(w)}");
        if (ctx.OptionalShape(2) is { } b && (b.Length != 1 || b[0] != w[0]))
            throw ctx.Error($"bias shape {ShapeMath.Format(b)} must be ({w[0]})");
        var g = SpatialGeometry.Resolve(ctx.Node, x[2], x[3], w[2], w[3], allowCeilMode: false);
        return [[x[0], w[0], g.OutH, g.OutW]];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        var w = inputs[1]!;
        var bias = inputs.Length > 2 ? inputs[2] : null;
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int m = w.Shape[0], cg = w.Shape[1], kh = w.Shape[2], kw = w.Shape[3];
        int group = (int)node.GetInt("group", 1);
        var g = SpatialGeometry.Resolve(node, h, wd, kh, kw, allowCeilMode: false);
        int mg = m / group;
        var y = new float[n * m * g.OutH * g.OutW];
        for (int b = 0; b < n; b++)
            for (int oc = 0; oc < m; oc++)
            {
                int c0 = oc / mg * cg;
                for (int oy = 0; oy < g.OutH; oy++)
                    for (int ox = 0; ox < g.OutW; ox++)
                    {
                        double acc = bias?.Data[oc] ?? 0;
                        for (int ic = 0; ic < cg; ic++)
                            for (int ky = 0; ky < kh; ky++)
                            {
                                int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                                if (iy < 0 || iy >= h) continue;
                                for (int kx = 0; kx < kw; kx++)
                                {
                                    int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                                    if (ix < 0 || ix >= wd) continue;
                                    acc += (double)x.Data[((b * c + c0 + ic) * h + iy) * wd + ix] * w.Data[((oc * cg + ic) * kh + ky) * kw + kx];
                                }
                            }
                        y[((b * m + oc) * g.OutH + oy) * g.OutW + ox] = (float)acc;
                    }
            }
        return [new FloatTensor([n, m, g.OutH, g.OutW], y)];
    }
}
