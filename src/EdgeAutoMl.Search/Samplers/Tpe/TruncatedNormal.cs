using System.Numerics;
using System.Runtime.Intrinsics;
using MathNet.Numerics;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>The math of normals truncated to [low, high] that TPE's kernels are made of.</summary>
internal static class TruncatedNormal
{
    private const double Sqrt2 = 1.4142135623730951;
    public static readonly double LogSqrt2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>Standard normal CDF.</summary>
    public static double Phi(double z) => 0.5 * SpecialFunctions.Erfc(-z / Sqrt2);

    /// <summary>P(a ≤ Z ≤ b) for standard Z, accurate in both tails (uses the mirrored side when a &gt; 0).</summary>
    public static double Mass(double a, double b)
    {
        if (a > 0) return Phi(-a) - Phi(-b);
        return Phi(b) - Phi(a);
    }

    /// <summary>
    /// <see cref="Mass"/> with a shortcut when the interval contains the mean (a ≤ 0 ≤ b, as for the range of every TPE
    /// kernel): then the result is at least 0.5, a side 9 or more standard deviations away changes it by less than half
    /// a rounding step (Φ(−9) ≈ 1e-19), so its erfc is skipped and the result is bit for bit that of <see cref="Mass"/>.
    /// </summary>
    public static double MassAround(double a, double b)
    {
        if (a > 0 || b < 0) return Mass(a, b);
        double pb = b >= FarTail ? 1.0 : Phi(b);
        double pa = a <= -FarTail ? 0.0 : Phi(a);
        return pb - pa;
    }

    private const double FarTail = 9;

    /// <summary>Log density at x of N(mu, sigma) truncated to [low, high].</summary>
    public static double LogPdf(double x, double mu, double sigma, double low, double high)
    {
        if (x < low || x > high) return double.NegativeInfinity;
        double z = (x - mu) / sigma;
        double mass = Mass((low - mu) / sigma, (high - mu) / sigma);
        return -0.5 * z * z - LogSqrt2Pi - Math.Log(sigma) - Math.Log(Math.Max(mass, 1e-300));
    }

    /// <summary>Log probability that the truncated normal falls in [lo, hi] ⊆ [low, high] (for stepped params).</summary>
    public static double LogIntervalProbability(double lo, double hi, double mu, double sigma, double low, double high)
    {
        double total = Mass((low - mu) / sigma, (high - mu) / sigma);
        double part = Mass((Math.Max(lo, low) - mu) / sigma, (Math.Min(hi, high) - mu) / sigma);
        return Math.Log(Math.Max(part, 1e-300)) - Math.Log(Math.Max(total, 1e-300));
    }

    /// <summary>Draw by inverting the CDF on the truncated range, so one uniform number gives one sample.</summary>
    public static double Sample(Random rng, double mu, double sigma, double low, double high)
    {
        double a = (low - mu) / sigma, b = (high - mu) / sigma;
        double u = rng.NextDouble();
        double z;
        if (a > 0)
        {
            // Upper tail: work with the mirrored lower-tail probabilities to keep precision.
            double pa = Phi(-a), pb = Phi(-b);
            z = -InvPhi(pa - u * (pa - pb));
        }
        else
        {
            double pa = Phi(a), pb = Phi(b);
            z = InvPhi(pa + u * (pb - pa));
        }
        if (double.IsNaN(z)) z = 0.5 * (Math.Max(a, -10) + Math.Min(b, 10));
        return Math.Clamp(mu + sigma * z, low, high);
    }

    private static double InvPhi(double p)
    {
        p = Math.Clamp(p, 1e-300, 1 - 1e-16);
        return -Sqrt2 * SpecialFunctions.ErfcInv(2 * p);
    }

    /// <summary>log(Σ exp(x_i)) without overflow, leaving out terms more than <paramref name="cutoff"/> below the largest.</summary>
    public static double LogSumExp(ReadOnlySpan<double> xs, double cutoff)
    {
        double max = double.NegativeInfinity;
        foreach (double x in xs) if (x > max) max = x;
        if (double.IsNegativeInfinity(max)) return max;
        double floor = max - cutoff, sum = 0;
        foreach (double x in xs) if (x >= floor) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }

    /// <summary>
    /// <see cref="LogSumExp(ReadOnlySpan{double}, double)"/> when the largest term is known: the same terms summed in
    /// the same order, so the same result. The terms within the cutoff are found four at a time (one compare and a bit
    /// mask instead of a hard-to-predict branch per term), and only they pay for an exp.
    /// </summary>
    public static double LogSumExpBelowMax(ReadOnlySpan<double> xs, double max, double cutoff)
    {
        if (double.IsNegativeInfinity(max)) return max;
        double floor = max - cutoff, sum = 0;
        int k = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> floors = Vector256.Create(floor);
            for (; k <= xs.Length - Vector256<double>.Count; k += Vector256<double>.Count)
            {
                // NaN compares false, as in the scalar test below.
                uint within = Vector256.ExtractMostSignificantBits(Vector256.GreaterThanOrEqual(Vector256.Create(xs[k..]), floors));
                for (; within != 0; within &= within - 1)
                    sum += Math.Exp(xs[k + BitOperations.TrailingZeroCount(within)] - max);
            }
        }
        for (; k < xs.Length; k++) if (xs[k] >= floor) sum += Math.Exp(xs[k] - max);
        return max + Math.Log(sum);
    }

    /// <summary>log(Σ exp(x_i)) without overflow.</summary>
    public static double LogSumExp(ReadOnlySpan<double> xs)
    {
        double max = double.NegativeInfinity;
        foreach (double x in xs) if (x > max) max = x;
        if (double.IsNegativeInfinity(max)) return max;
        double sum = 0;
        foreach (double x in xs) sum += Math.Exp(x - max);
        return max + Math.Log(sum);
    }
}
