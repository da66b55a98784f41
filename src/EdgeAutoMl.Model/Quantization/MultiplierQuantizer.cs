namespace EdgeAutoMl.Model.Quantization;

/// <summary>TFLite's QuantizeMultiplier, exactly as MODEL_FORMAT.md writes it.</summary>
public static class MultiplierQuantizer
{
    /// <summary>
    /// Splits a real multiplier M &gt; 0 into a Q31 <c>mult</c> and a power-of-two <c>shift</c>
    /// with M ≈ mult · 2^(shift − 31).
    /// </summary>
    public static (int mult, int shift) Quantize(double m)
    {
        if (!(m > 0) || double.IsInfinity(m)) throw new ArgumentOutOfRangeException(nameof(m), m, "multiplier must be finite and > 0");
        // frexp: m = q · 2^e with q in [0.5, 1).
        int e = Math.ILogB(m) + 1;
        double q = Math.ScaleB(m, -e);
        long mult = (long)Math.Round(q * (1L << 31), MidpointRounding.AwayFromZero);
        if (mult == 1L << 31)
        {
            mult /= 2;
            e += 1;
        }
        if (e < -31) return (0, 0);
        if (e > 30) throw new ArgumentOutOfRangeException(nameof(m), m, "multiplier ≥ 2^30 cannot be represented (shift > 30)");
        return ((int)mult, e);
    }
}
