using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>
/// 2-D AveragePool (NCHW). count_include_pad=1 divides by the window positions inside the
/// padded input (explicit pads), 0 by the real positions only; ceil_mode windows that run past
/// the padding do not count those positions (as ONNX's reference does).
/// </summary>
internal sealed class AveragePoolKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        var x = ctx.Shape(0);
        if (x.Length != 4) throw ctx.Unsupported($"input rank {x.Length} (only 2-D pooling on NCHW is supported)");
        var k = MaxPoolKernel.Kernel(ctx.Node);
        var g = SpatialGeometry.Resolve(ctx.Node, x[2], x[3], k.h, k.w, allowCeilMode: true);
        if (g.DilationH != 1 || g.DilationW != 1) throw ctx.Unsupported("dilations");
        return [[x[0], x[1], g.OutH, g.OutW]];
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var k = MaxPoolKernel.Kernel(node);
        var g = SpatialGeometry.Resolve(node, h, w, k.h, k.w, allowCeilMode: true);
        bool includePad = node.GetInt("count_include_pad", 0) != 0;
        var y = new float[n * c * g.OutH * g.OutW];
        for (int p = 0; p < n * c; p++)
            for (int oy = 0; oy < g.OutH; oy++)
                for (int ox = 0; ox < g.OutW; ox++)
                {
                    double sum = 0;
                    int real = 0, padded = 0;
                    for (int ky = 0; ky < k.h; ky++)
                    {
                        int iy = oy * g.StrideH - g.PadTop + ky;
                        if (iy < -g.PadTop || iy >= h + g.PadBottom) continue;
                        for (int kx = 0; kx < k.w; kx++)
                        {
                            int ix = ox * g.StrideW - g.PadLeft + kx;
                            if (ix < -g.PadLeft || ix >= w + g.PadRight) continue;
                            padded++;
                            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                            real++;
                            sum += x.Data[(p * h + iy) * w + ix];
                        }
                    }
                    y[(p * g.OutH + oy) * g.OutW + ox] = (float)(sum / Math.Max(1, includePad ? padded : real));
                }
        return [new FloatTensor([n, c, g.OutH, g.OutW], y)];
    }
}
