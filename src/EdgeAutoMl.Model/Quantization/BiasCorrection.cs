using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Quantization;

/// <summary>
/// Bias correction for coarse weights: rounding a channel's weights shifts its output's mean
/// by E[(W − Wq)·x]; adding that shift back to the bias re-centres the channel. Both sides are
/// linear in x, so the mean over calibration samples is the layer applied to the mean input.
/// </summary>
internal static class BiasCorrection
{
    /// <summary>Per output channel of a fully connected layer: Σ_k (w − wq)[c,k]·x̄[k].</summary>
    public static float[] FullyConnected(float[] w, QuantizedWeights qw, int channels, float[] meanInput)
    {
        int k = w.Length / channels;
        var shift = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += (w[c * k + j] - qw.Values[c * k + j] * (double)qw.Scales[c]) * meanInput[j];
            shift[c] = (float)s;
        }
        return shift;
    }

    /// <summary>
    /// Per output channel of a convolution on the mean input [C,H,W]: the weight error
    /// convolved with x̄ (padding = 0), averaged over the output positions.
    /// </summary>
    public static float[] Conv(float[] w, QuantizedWeights qw, int channels, int channelsPerGroup, int group,
                               SpatialGeometry geo, int h, int wd, float[] meanInput)
    {
        int kh = geo.KernelH, kw = geo.KernelW, rowLen = channelsPerGroup * kh * kw, perGroup = channels / group;
        var shift = new float[channels];
        for (int m = 0; m < channels; m++)
        {
            int c0 = m / perGroup * channelsPerGroup;
            double total = 0;
            for (int oy = 0; oy < geo.OutH; oy++)
                for (int ox = 0; ox < geo.OutW; ox++)
                    for (int ci = 0; ci < channelsPerGroup; ci++)
                        for (int ky = 0; ky < kh; ky++)
                        {
                            int iy = oy * geo.StrideH - geo.PadTop + ky * geo.DilationH;
                            if (iy < 0 || iy >= h) continue;
                            for (int kx = 0; kx < kw; kx++)
                            {
                                int ix = ox * geo.StrideW - geo.PadLeft + kx * geo.DilationW;
                                if (ix < 0 || ix >= wd) continue;
                                int k = m * rowLen + (ci * kh + ky) * kw + kx;
                                total += (w[k] - qw.Values[k] * (double)qw.Scales[m]) * meanInput[((c0 + ci) * h + iy) * wd + ix];
                            }
                        }
            shift[m] = (float)(total / (geo.OutH * geo.OutW));
        }
        return shift;
    }
}
