namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// The arithmetic shared by the pruners, kept in one place so each pruner reads as its decision rule only
/// (Optuna keeps these helpers in pruners/_percentile.py).
/// </summary>
internal static class PruningMath
{
    /// <summary>
    /// True when <paramref name="step"/> is the first reported step at or after the latest pruning checkpoint
    /// (checkpoints are warmup + k·interval). A trial reporting every step is checked once per interval; one that
    /// skips steps is checked at the first report past each checkpoint.
    /// </summary>
    public static bool IsFirstInIntervalStep(int step, IEnumerable<int> reportedSteps, int warmupSteps, int intervalSteps)
    {
        int nearestLowerCheckpoint = (step - warmupSteps) / intervalSteps * intervalSteps + warmupSteps;
        int secondLast = -1;
        foreach (int s in reportedSteps)
            if (s > secondLast && s != step) secondLast = s;
        return secondLast < nearestLowerCheckpoint;
    }

    /// <summary>Best reported value ignoring NaN (numpy nanmin/nanmax); NaN when every value is NaN.</summary>
    public static double BestIntermediate(FrozenTrial trial, StudyDirection direction)
    {
        double best = double.NaN;
        foreach (double v in trial.IntermediateValues.Values)
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(best) || (direction == StudyDirection.Maximize ? v > best : v < best)) best = v;
        }
        return best;
    }

    /// <summary>
    /// numpy.nanpercentile with linear interpolation: NaNs dropped, sorted, position q/100·(n−1) interpolated
    /// between its neighbours. NaN for an empty (or all-NaN) input.
    /// </summary>
    public static double NanPercentile(IEnumerable<double> values, double q)
    {
        double[] v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        double pos = q / 100.0 * (v.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, v.Length - 1);
        double frac = pos - lo;
        // numpy's lerp: exact at the ends, and inf-safe when both neighbours are equal infinities.
        if (frac == 0 || v[lo] == v[hi]) return v[lo];
        return v[lo] + (v[hi] - v[lo]) * frac;
    }
}
