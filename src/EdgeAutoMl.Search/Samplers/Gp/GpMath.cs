using MathNet.Numerics;

namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>
/// Scalar math of the GP sampler: the Matérn-5/2 profile, the numerically stable log of expected improvement (Optuna's
/// <c>standard_logei</c>, BoTorch's LogEI) and log Φ. MathNet has erfc but no scaled erfcx, so the far-left tails use the
/// asymptotic (Mills-ratio) series written here; every branch is checked against SciPy in the tests.
/// </summary>
public static class GpMath
{
    private const double LogSqrt2Pi = 0.91893853320467274178; // log √(2π)
    private static readonly double Sqrt5 = Math.Sqrt(5);

    /// <summary>Matérn-5/2 as a function of the squared scaled distance: (1 + √(5d²) + 5d²/3)·exp(−√(5d²)).</summary>
    public static double Matern52(double d2)
    {
        double r = Math.Sqrt(5 * d2);
        return (1 + r + 5.0 / 3.0 * d2) * Math.Exp(-r);
    }

    /// <summary>d Matern52 / d(d²) = −(5/6)(1 + √(5d²))·exp(−√(5d²)): finite at d² = 0, unlike d/dr forms.</summary>
    public static double Matern52Derivative(double d2)
    {
        double r = Sqrt5 * Math.Sqrt(d2);
        return -5.0 / 6.0 * (1 + r) * Math.Exp(-r);
    }

    /// <summary>log φ(z), the standard normal density.</summary>
    public static double LogNormalPdf(double z) => -0.5 * z * z - LogSqrt2Pi;

    /// <summary>
    /// log Φ(z) without underflow: log1p(−Φ(−z)) on the right, log(erfc/2) in the middle, and for z &lt; −37 (where
    /// erfc underflows) log φ(z) − log(−z) + log of the Mills-ratio series.
    /// </summary>
    public static double LogNormalCdf(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z > 5)
        {
            // log(1 − e) for e = Φ(−z) < 3e-7: the series −e − e²/2 − e³/3 is exact to double precision.
            double e = 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));
            return -e * (1 + e * (0.5 + e / 3));
        }
        if (z > -37) return Math.Log(0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2)));
        if (double.IsNegativeInfinity(z)) return double.NegativeInfinity;
        // Φ(z) = φ(z)/(−z) · (1 − 1/z² + 3/z⁴ − …) for z → −∞.
        return LogNormalPdf(z) - Math.Log(-z) + Math.Log(MillsSeries(z));
    }

    /// <summary>
    /// h(z) = log E[max(0, Z + z)] for Z ~ N(0,1) = log(z·Φ(z) + φ(z)). For z &lt; −25 (Optuna's switch) the sum
    /// cancels, so h(z) = log φ(z) + log(z·Φ(z)/φ(z) + 1) with z·Φ/φ + 1 = 1/z² − 3/z⁴ + 15/z⁶ − …, which is exact to
    /// double precision there. Finite for every finite z.
    /// </summary>
    public static double StandardLogEi(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z >= -25)
        {
            double cdf = 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));
            double pdf = Math.Exp(LogNormalPdf(z));
            return Math.Log(z * cdf + pdf);
        }
        if (double.IsNegativeInfinity(z)) return double.NegativeInfinity;
        return LogNormalPdf(z) + Math.Log(TailSeries(z));
    }

    /// <summary>h′(z) = Φ(z) / (zΦ(z) + φ(z)) = exp(log Φ(z) − h(z)), the slope of <see cref="StandardLogEi"/>.</summary>
    public static double StandardLogEiDerivative(double z) => Math.Exp(LogNormalCdf(z) - StandardLogEi(z));

    /// <summary>log EI of N(mean, var) over the threshold f0 (maximisation): log σ + h((mean − f0)/σ).</summary>
    public static double LogEi(double mean, double var, double f0)
    {
        double sigma = Math.Sqrt(var);
        return Math.Log(sigma) + StandardLogEi((mean - f0) / sigma);
    }

    // Σ_{k≥0} (−1)^k (2k−1)!!/z^{2k} = 1 − 1/z² + 3/z⁴ − … (asymptotic; used only for |z| ≥ 25 where it converges to
    // machine precision long before its terms grow).
    private static double MillsSeries(double z)
    {
        double inv = 1 / (z * z), term = 1, sum = 1;
        for (int k = 1; k < 60; k++)
        {
            term *= -(2 * k - 1) * inv;
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return sum;
    }

    // zΦ(z)/φ(z) + 1 = 1 − z·Mills(z)/(−z)… = 1/z² − 3/z⁴ + 15/z⁶ − … (the series above without its leading 1, sign-flipped).
    private static double TailSeries(double z)
    {
        double inv = 1 / (z * z), term = inv, sum = inv;
        for (int k = 2; k < 60; k++)
        {
            term *= -(2 * k - 1) * inv;
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return sum;
    }
}
