namespace EdgeAutoMl.Model.Engine;

/// <summary>
/// The gemmlowp / TFLite fixed-point primitives, written literally from MODEL_FORMAT.md so
/// that the firmware's C reproduces every bit. C# integer division truncates toward zero
/// and <c>&gt;&gt;</c> on int is arithmetic, as the contract requires.
/// </summary>
public static class FixedPoint
{
    /// <summary>Saturating rounding doubling high multiply: round(a·b / 2^31), saturating INT32_MIN·INT32_MIN.</summary>
    public static int Srdhm(int a, int b)
    {
        if (a == int.MinValue && b == int.MinValue) return int.MaxValue;
        long ab = (long)a * b;
        long nudge = ab >= 0 ? 1L << 30 : 1 - (1L << 30);
        return (int)((ab + nudge) / (1L << 31));
    }

    /// <summary>Rounding divide by 2^e (0 ≤ e ≤ 31), ties away from zero.</summary>
    public static int Rdpot(int x, int e)
    {
        if (e is < 0 or > 31) throw new ArgumentOutOfRangeException(nameof(e), e, "exponent must be 0..31");
        long mask = (1L << e) - 1;
        long rem = x & mask;
        long threshold = (mask >> 1) + (x < 0 ? 1 : 0);
        return (x >> e) + (rem > threshold ? 1 : 0);
    }

    /// <summary>x·M with M = mult·2^(shift−31): left shift, SRDHM, rounding right shift.</summary>
    public static int Mbqm(int x, int mult, int shift)
    {
        int left = Math.Max(shift, 0), right = Math.Max(-shift, 0);
        // int32 product that wraps modulo 2^32, as MODEL_FORMAT.md specifies.
        int shifted = unchecked(x * (1 << left));
        return Rdpot(Srdhm(shifted, mult), right);
    }

    /// <summary>
    /// x·M with one rounding (blob format 2): ((int64)x·mult + 2^(t−1)) &gt;&gt; t with t = 31 − shift
    /// (1..62), saturated to int32. MBQM rounds twice (SRDHM, then the rounding shift); with
    /// small right shifts the first rounding often lands on a tie, which is why format-1 blobs
    /// disagree with ONNX Runtime's one float rounding by a step on many elements.
    /// </summary>
    public static int Mbqm1(int x, int mult, int shift)
    {
        if (shift is < -31 or > 30) throw new ArgumentOutOfRangeException(nameof(shift), shift, "shift must be -31..30");
        int t = 31 - shift;
        long r = ((long)x * mult + (1L << (t - 1))) >> t;
        return (int)Math.Clamp(r, int.MinValue, int.MaxValue);
    }

    /// <summary>The format's requantization: <see cref="Mbqm1"/> for format 2 (single rounding), <see cref="Mbqm"/> for format 1.</summary>
    public static int Requantize(bool singleRounding, int x, int mult, int shift) =>
        singleRounding ? Mbqm1(x, mult, shift) : Mbqm(x, mult, shift);

    /// <summary>
    /// x·M for an int64 accumulator (int16 activations), one rounding: the Q31 multiplier is
    /// reduced to Q15 (rounded; 0x7FFF at the top), then (x·m15 + 2^(t−1)) >> t with
    /// t = 15 − shift (1..46), saturated to int32. The TFLite 16x8 kernels requantize the
    /// same way; |x| &lt; 2^47 keeps x·m15 inside int64 (larger x wraps, as the firmware's uint64 does).
    /// </summary>
    public static int Mbqm64(long x, int mult, int shift)
    {
        if (shift is < -31 or > 14) throw new ArgumentOutOfRangeException(nameof(shift), shift, "int64 requantization needs shift in -31..14");
        long m15 = mult >= 0x7FFF0000 ? 0x7FFF : (mult + (1L << 15)) >> 16;
        int t = 15 - shift;
        long r = unchecked(x * m15 + (1L << (t - 1))) >> t;
        return (int)Math.Clamp(r, int.MinValue, int.MaxValue);
    }
}
