using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Calibration;

/// <summary>
/// Chooses an int8 activation range that minimises the quantization MSE of the calibration
/// values: a histogram of the values, then a geometric grid of clip ratios applied to each side
/// of the min/max range, each candidate scored by the squared error of quantize→dequantize over the histogram.
/// </summary>
public static class MseRangeSearch
{
    /// <summary>Histogram bins; ≫ 256 levels, so the in-bin position barely matters.</summary>
    public const int Bins = 2048;
    /// <summary>Smallest clip ratio tried (a side clipped to 1% of its extent).</summary>
    public const double MinRatio = 0.01;
    /// <summary>Clip ratios per side, geometric from 1 down to <see cref="MinRatio"/> (≈ 4.7% apart).</summary>
    public const int GridPoints = 100;

    /// <summary>The range [r_lo·lo, r_hi·hi] (lo ≤ 0 ≤ hi from the values) with the least quantization MSE on the grid.</summary>
    public static TensorRange Search(IReadOnlyList<float[]> values)
    {
        float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
        long total = 0;
        foreach (var a in values)
            foreach (var v in a)
            {
                if (v < mn) mn = v;
                if (v > mx) mx = v;
                total++;
            }
        if (total == 0) throw new ArgumentException("no calibration values");
        // The int8 range always includes 0 (QuantParams.Int8FromRange), so clip around it.
        double lo = Math.Min(mn, 0), hi = Math.Max(mx, 0);
        if (hi - lo < 1e-12) return new TensorRange(mn, mx);

        var counts = new long[Bins];
        double width = (hi - lo) / Bins;
        foreach (var a in values)
            foreach (var v in a)
                counts[Math.Min(Bins - 1, (int)((v - lo) / width))]++;

        // Clip the two sides separately (a Relu output or a one-sided outlier needs only one
        // side clipped): coordinate descent, each pass a grid over one side's ratio.
        double rLo = 1, rHi = 1;
        for (int pass = 0; pass < 2; pass++)
        {
            rHi = BestRatio(r => Error(counts, lo, width, QuantParams.Int8FromRange((float)(lo * rLo), (float)(hi * r))));
            rLo = BestRatio(r => Error(counts, lo, width, QuantParams.Int8FromRange((float)(lo * r), (float)(hi * rHi))));
        }
        return new TensorRange((float)(mn < 0 ? lo * rLo : mn), (float)(mx > 0 ? hi * rHi : mx));
    }

    /// <summary>The grid ratio with the least error; from 1 downwards, only a strictly smaller error wins, so ties keep the wider range.</summary>
    private static double BestRatio(Func<double, double> error)
    {
        double bestErr = double.PositiveInfinity, best = 1;
        for (int k = 0; k < GridPoints; k++)
        {
            double r = Math.Pow(MinRatio, k / (double)(GridPoints - 1));
            double e = error(r);
            if (e < bestErr)
            {
                bestErr = e;
                best = r;
            }
        }
        return best;
    }

    /// <summary>Sum of squared quantization errors over the histogram, each bin represented by its centre.</summary>
    internal static double Error(long[] counts, double lo, double width, QuantParams q)
    {
        double err = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            float x = (float)(lo + (i + 0.5) * width);
            double d = x - q.Dequantize(q.Quantize(x));
            err += counts[i] * d * d;
        }
        return err;
    }
}
