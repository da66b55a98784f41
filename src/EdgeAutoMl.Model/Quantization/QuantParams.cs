namespace EdgeAutoMl.Model.Quantization;

/// <summary>Per-tensor affine quantization: real = Scale · (q − ZeroPoint).</summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint)
{
    /// <summary>
    /// int8 asymmetric parameters covering [min, max] widened to include 0 (so that zero
    /// padding and Relu are exact).
    /// </summary>
    public static QuantParams Int8FromRange(float min, float max)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || float.IsInfinity(min) || float.IsInfinity(max))
            throw new ArgumentException($"activation range [{min}, {max}] is not finite");
        double lo = Math.Min(min, 0), hi = Math.Max(max, 0);
        // A constant-zero tensor still needs a usable scale.
        float scale = hi - lo < 1e-12 ? 1e-6f : (float)((hi - lo) / 255.0);
        int zp = (int)Math.Round(-128 - lo / scale, MidpointRounding.AwayFromZero);
        return new QuantParams(scale, Math.Clamp(zp, -128, 127));
    }

    /// <summary>Quantizes one value: x/scale in float32 (as ONNX QuantizeLinear computes it), round half away from zero, clamp to int8.</summary>
    public sbyte Quantize(float x)
    {
        // float32 division on purpose: in double, 0.5/(1/255f) is 127.49999… and would round
        // differently from ONNX Runtime's float32 127.5 on every mid-grey pixel.
        float r = x / Scale;
        double q = Math.Round(r, MidpointRounding.AwayFromZero) + ZeroPoint;
        return (sbyte)Math.Clamp(q, -128, 127);
    }

    /// <summary>Dequantizes one value.</summary>
    public float Dequantize(int q) => Scale * (q - ZeroPoint);
}
