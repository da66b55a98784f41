using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>2-D MaxPool (NCHW); padded positions are ignored, ceil_mode honoured.</summary>
internal sealed class MaxPoolKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        if (x.Length != 4) throw ctx.Unsupported($"input rank {x.Length} (only 2-D pooling on NCHW is supported)");
        if (ctx.Node.GetInt("storage_order", 0) != 0) throw ctx.Unsupported("storage_order=1");
        var k = Kernel(ctx.Node);
        var g = SpatialGeometry.Resolve(ctx.Node, x[2], x[3], k.h, k.w, allowCeilMode: true);
        return [[x[0], x[1], g.OutH, g.OutW]];
    }

    internal static (int h, int w) Kernel(Node node)
    {
        var ks = node.GetInts("kernel_shape") ?? throw new ModelLoadException($"{node.Where}: attribute 'kernel_shape' is required");
        if (ks.Length != 2) throw new ModelLoadException($"{node.Where}: kernel_shape must have 2 values, has {ks.Length}");
        if (ks[0] is < 1 or > 65535 || ks[1] is < 1 or > 65535) throw new ModelLoadException($"{node.Where}: kernel_shape out of range");
        return ((int)ks[0], (int)ks[1]);
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var k = Kernel(node);
        var g = SpatialGeometry.Resolve(node, h, w, k.h, k.w, allowCeilMode: true);
        var y = new float[n * c * g.OutH * g.OutW];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                {
                    float best = float.NegativeInfinity;
                    for (int ky = 0; ky < k.h; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky * g.DilationH;
                        if (iy < 0 || iy >= h) continue;
                        for (int kx = 0; kx < k.w; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx * g.DilationW;
                            if (ix < 0 || ix >= w) continue;
                            best = Math.Max(best, x.Data[(p * h + iy) * w + ix]);
                        }
                    }
                    y[(p * g.OutH + oy) * g.OutW + ox] = best;
                }
        return [new FloatTensor([n, c, g.OutH, g.OutW], y)];
    }
}
