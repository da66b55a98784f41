namespace EdgeAutoMl.Model.Quantization;

/// <summary>
/// Per-tensor affine quantization: real = Scale · (q − ZeroPoint), q an int8 (asymmetric) or
/// int16 (symmetric, zero point 0) value as <see cref="Bits"/> says.
/// </summary>
public readonly record struct QuantParams(float Scale, int ZeroPoint, int Bits = 8)
{
    /// <summary>Smallest representable q (−128 or −32768).</summary>
    public int QMin => Bits == 16 ? short.MinValue : sbyte.MinValue;
    /// <summary>Largest representable q (127 or 32767).</summary>
    public int QMax => Bits == 16 ? short.MaxValue : sbyte.MaxValue;
    /// <summary>Bytes per element in the arena (1 or 2).</summary>
    public int ElementBytes => Bits == 16 ? 2 : 1;

    /// <summary>
    /// int8 asymmetric parameters covering [min, max] widened to include 0 (so that zero
    /// padding and Relu are exact).
    /// </summary>
    public static QuantParams Int8FromRange(float min, float max)
    {
        CheckFinite(min, max);
        double lo = Math.Min(min, 0), hi = Math.Max(max, 0);
        // A constant-zero tensor still needs a usable scale.
        float scale = hi - lo < 1e-12 ? 1e-6f : (float)((hi - lo) / 255.0);
        int zp = (int)Math.Round(-128 - lo / scale, MidpointRounding.AwayFromZero);
        return new QuantParams(scale, Math.Clamp(zp, -128, 127));
    }

    /// <summary>
    /// int16 symmetric parameters (zero point 0, TFLite's 16x8 convention): scale = max|range| / 32767.
    /// </summary>
    public static QuantParams Int16FromRange(float min, float max)
    {
        CheckFinite(min, max);
        double m = Math.Max(Math.Abs((double)min), Math.Abs((double)max));
        float scale = m < 1e-12 ? 1e-6f : (float)(m / 32767.0);
        return new QuantParams(scale, 0, 16);
    }

    /// <summary>Parameters for <paramref name="bits"/> (8 or 16) covering [min, max].</summary>
    public static QuantParams FromRange(float min, float max, int bits) => bits switch
    {
        8 => Int8FromRange(min, max),
        16 => Int16FromRange(min, max),
        _ => throw new ArgumentOutOfRangeException(nameof(bits), bits, "activation bits must be 8 or 16"),
    };

    private static void CheckFinite(float min, float max)
    {
        if (float.IsNaN(min) || float.IsNaN(max) || float.IsInfinity(min) || float.IsInfinity(max))
            throw new ArgumentException($"activation range [{min}, {max}] is not finite");
    }

    /// <summary>Quantizes one value: x/scale in float32 (as ONNX QuantizeLinear computes it), round half away from zero, clamp to the q range.</summary>
    public int Quantize(float x)
    {
        // float32 division on purpose: in double, 0.5/(1/255f) is 127.49999… and would round
        // differently from ONNX Runtime's float32 127.5 on every mid-grey pixel.
        float r = x / Scale;
        double q = Math.Round(r, MidpointRounding.AwayFromZero) + ZeroPoint;
        return (int)Math.Clamp(q, QMin, QMax);
    }

    /// <summary>Dequantizes one value.</summary>
    public float Dequantize(int q) => Scale * (q - ZeroPoint);
}
