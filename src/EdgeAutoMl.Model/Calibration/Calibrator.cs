using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Calibration;

/// <summary>Runs the float engine over calibration samples and records each activation's range.</summary>
public static class Calibrator
{
    /// <summary>Percentile used by <see cref="CalibrationMethod.Percentile"/> when none is given.</summary>
    public const double DefaultPercentile = 99.99;

    /// <summary>Ranges of every runtime value (graph input and node outputs).</summary>
    public static Dictionary<string, TensorRange> Collect(Graph graph, IReadOnlyList<float[]> samples,
                                                          CalibrationMethod method, double percentile = DefaultPercentile)
    {
        if (samples.Count == 0) throw new ArgumentException("calibration needs at least one sample");
        if (percentile is <= 50 or > 100) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "must be in (50, 100]");
        var perSample = new Dictionary<string, (float min, float max, float[]? values)>[samples.Count];
        Parallel.For(0, samples.Count, i =>
        {
            var seen = new Dictionary<string, (float, float, float[]?)>();
            FloatEngine.RunSample(graph, samples[i], (name, t) =>
            {
                float mn = float.PositiveInfinity, mx = float.NegativeInfinity;
                foreach (var v in t.Data)
                {
                    if (v < mn) mn = v;
                    if (v > mx) mx = v;
                }
                seen[name] = (mn, mx, method == CalibrationMethod.MinMax ? null : t.Data);
            });
            perSample[i] = seen;
        });

        var result = new Dictionary<string, TensorRange>();
        foreach (var name in perSample[0].Keys)
        {
            if (method == CalibrationMethod.MinMax)
                result[name] = new TensorRange(perSample.Min(s => s[name].min), perSample.Max(s => s[name].max));
            else if (method == CalibrationMethod.Mse)
                result[name] = MseRangeSearch.Search(perSample.Select(s => s[name].values!).ToList());
            else
            {
                // Exact percentiles over all values; calibration sets for MCU models are small.
                var all = perSample.SelectMany(s => s[name].values!).ToArray();
                Array.Sort(all);
                result[name] = new TensorRange(At(all, 100 - percentile), At(all, percentile));
            }
        }
        return result;
    }

    private static float At(float[] sorted, double p)
    {
        double pos = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Length - 1);
        return (float)(sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
