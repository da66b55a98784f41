namespace EdgeAutoMl.Model.Quantization;

/// <summary>How each output channel's weight scale is chosen.</summary>
public enum WeightScaleMethod
{
    /// <summary>scale = max|w| / qmax: no clipping.</summary>
    MaxAbs,
    /// <summary>Grid search over clip ratios of max|w|; keeps the ratio with the lowest squared error (ratio 1 = max-abs is in the grid).</summary>
    MseClip,
}

/// <summary>Per-output-channel symmetric weights: q in [−(2^(b−1)−1), 2^(b−1)−1].</summary>
public sealed record QuantizedWeights(sbyte[] Values, float[] Scales, double SquaredError);

/// <summary>Quantizes weight matrices row by row (one row = one output channel).</summary>
public static class WeightQuantizer
{
    // 1.00, 0.98, ..., 0.40: finer than the error differences we see, cheap for MCU-sized layers.
    private static readonly double[] ClipRatios = Enumerable.Range(0, 31).Select(i => 1.0 - 0.02 * i).ToArray();

    /// <summary>Largest magnitude of a <paramref name="bits"/>-bit symmetric weight.</summary>
    public static int QMax(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>Quantizes <paramref name="w"/> laid out as <paramref name="rows"/> contiguous rows.</summary>
    public static QuantizedWeights Quantize(float[] w, int rows, int bits, WeightScaleMethod method)
    {
        if (bits is < 2 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "weight bits must be 2..8");
        if (rows <= 0 || w.Length % rows != 0) throw new ArgumentException($"{w.Length} weights do not split into {rows} rows");
        int k = w.Length / rows, qmax = QMax(bits);
        var values = new sbyte[w.Length];
        var scales = new float[rows];
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = w.AsSpan(r * k, k);
            double maxAbs = 0;
            foreach (var v in row) maxAbs = Math.Max(maxAbs, Math.Abs(v));
            if (maxAbs == 0)
            {
                scales[r] = 1f; // all-zero channel: any scale represents it exactly
                continue;
            }
            float best = (float)(maxAbs / qmax);
            double bestErr = Error(row, best, qmax);
            if (method == WeightScaleMethod.MseClip)
                foreach (var ratio in ClipRatios.Skip(1))
                {
                    float s = (float)(ratio * maxAbs / qmax);
                    double e = Error(row, s, qmax);
                    if (e < bestErr) (best, bestErr) = (s, e);
                }
            scales[r] = best;
            total += bestErr;
            for (int j = 0; j < k; j++) values[r * k + j] = Q(row[j], best, qmax);
        }
        return new QuantizedWeights(values, scales, total);
    }

    private static sbyte Q(float v, float scale, int qmax) =>
        (sbyte)Math.Clamp(Math.Round(v / (double)scale, MidpointRounding.AwayFromZero), -qmax, qmax);

    private static double Error(ReadOnlySpan<float> row, float scale, int qmax)
    {
        double e = 0;
        foreach (var v in row)
        {
            double d = v - Q(v, scale, qmax) * (double)scale;
            e += d * d;
        }
        return e;
    }
}
