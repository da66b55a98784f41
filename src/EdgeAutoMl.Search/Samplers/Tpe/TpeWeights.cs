using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>TPE's default gamma, kernel weights, and MOTPE's hypervolume-based weights for the "good" group.</summary>
public static class TpeWeights
{
    private const double Eps = 1e-12;

    /// <summary>Optuna's default_gamma: min(ceil(0.1·n), 25).</summary>
    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    /// <summary>Optuna's default_weights: ones for n &lt; 25, else a ramp from 1/n to 1 for the oldest n−25 and ones for the newest 25.</summary>
    public static double[] DefaultWeights(int n)
    {
        if (n == 0) return [];
        if (n < 25) return Enumerable.Repeat(1.0, n).ToArray();
        var w = new double[n];
        int rampLen = n - 25;
        for (int i = 0; i < rampLen; i++)
            w[i] = rampLen == 1 ? 1.0 / n : 1.0 / n + i * (1.0 - 1.0 / n) / (rampLen - 1);
        for (int i = rampLen; i < n; i++) w[i] = 1.0;
        return w;
    }

    /// <summary>
    /// MOTPE weights for the "good" trials, as Optuna's: each feasible COMPLETE trial's hypervolume contribution among
    /// them (leave-one-out), divided by the largest, at least ε (a dominated trial contributes nothing, so it gets ε);
    /// other trials (pruned, infeasible) get ε too.
    /// With fewer than two such trials or non-finite values, all usable trials weigh 1.
    /// </summary>
    public static double[] MultiObjectiveBelowWeights(IReadOnlyList<FrozenTrial> below, IReadOnlyList<StudyDirection> directions,
        bool constraintsEnabled)
    {
        var weights = new double[below.Count];
        var usable = new List<int>();
        for (int i = 0; i < below.Count; i++)
        {
            bool ok = below[i].State == TrialState.Complete && below[i].Values is not null &&
                      (!constraintsEnabled || Constraints.Violation(below[i], missingIsInfeasible: true) == 0);
            weights[i] = ok ? 1.0 : Eps;
            if (ok) usable.Add(i);
        }
        if (usable.Count <= 1) return weights;
        var losses = usable.Select(i => (IReadOnlyList<double>)Pareto.ToLosses(below[i].Values!, directions)).ToList();
        if (losses.Any(l => l.Any(v => !double.IsFinite(v)))) return weights;
        double[] reference = HypervolumeSubsetSelection.ReferencePoint(losses);
        double[] contributions = Hypervolume.Contributions(losses, reference);
        double max = Math.Max(contributions.Max(), Eps);
        for (int j = 0; j < usable.Count; j++) weights[usable[j]] = Math.Max(contributions[j] / max, Eps);
        return weights;
    }
}
