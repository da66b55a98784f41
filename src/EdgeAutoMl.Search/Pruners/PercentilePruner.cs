namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// Prunes a trial whose best intermediate value so far is worse than the given percentile of the values the COMPLETE
/// trials reported at the same step (Optuna's PercentilePruner, same defaults and the same decisions).
/// </summary>
public class PercentilePruner : IPruner
{
    private static readonly TrialState[] CompleteOnly = [TrialState.Complete];

    /// <summary>Creates the pruner.</summary>
    /// <param name="percentile">0..100; for a minimised objective, pruned when worse than this percentile (50 = median).</param>
    /// <param name="nStartupTrials">No pruning until this many trials are COMPLETE.</param>
    /// <param name="nWarmupSteps">No pruning before this step of the trial.</param>
    /// <param name="intervalSteps">Check only once per this many steps (after warmup).</param>
    /// <param name="nMinTrials">No pruning at a step until this many COMPLETE trials reported at that step.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting outside its range (as Optuna's ValueError).</exception>
    public PercentilePruner(double percentile, int nStartupTrials = 5, int nWarmupSteps = 0, int intervalSteps = 1, int nMinTrials = 1)
    {
        if (!(percentile >= 0 && percentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(percentile), $"Percentile must be between 0 and 100 inclusive but got {percentile}.");
        if (nStartupTrials < 0)
            throw new ArgumentOutOfRangeException(nameof(nStartupTrials), $"Number of startup trials cannot be negative but got {nStartupTrials}.");
        if (nWarmupSteps < 0)
            throw new ArgumentOutOfRangeException(nameof(nWarmupSteps), $"Number of warmup steps cannot be negative but got {nWarmupSteps}.");
        if (intervalSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(intervalSteps), $"Pruning interval steps must be at least 1 but got {intervalSteps}.");
        if (nMinTrials < 1)
            throw new ArgumentOutOfRangeException(nameof(nMinTrials), $"Number of trials for pruning must be at least 1 but got {nMinTrials}.");
        Percentile = percentile;
        NStartupTrials = nStartupTrials;
        NWarmupSteps = nWarmupSteps;
        IntervalSteps = intervalSteps;
        NMinTrials = nMinTrials;
    }

    /// <summary>The percentile (0..100).</summary>
    public double Percentile { get; }
    /// <summary>Completed trials needed before pruning starts.</summary>
    public int NStartupTrials { get; }
    /// <summary>Steps of each trial that are never pruned.</summary>
    public int NWarmupSteps { get; }
    /// <summary>Checkpoint spacing in steps.</summary>
    public int IntervalSteps { get; }
    /// <summary>Completed trials that must have reported at a step before it can prune.</summary>
    public int NMinTrials { get; }

    /// <inheritdoc />
    public bool Prune(Study study, FrozenTrial trial)
    {
        IReadOnlyList<FrozenTrial> completed = study.GetTrials(CompleteOnly, useCache: false);
        if (completed.Count == 0 || completed.Count < NStartupTrials) return false;
        if (trial.LastStep is not { } step || step < NWarmupSteps) return false;
        if (!PruningMath.IsFirstInIntervalStep(step, trial.IntermediateValues.Keys, NWarmupSteps, IntervalSteps)) return false;

        StudyDirection direction = study.Direction;
        double best = PruningMath.BestIntermediate(trial, direction);
        if (double.IsNaN(best)) return true; // a trial that only ever reported NaN is hopeless

        var atStep = new List<double>();
        foreach (FrozenTrial t in completed)
            if (t.IntermediateValues.TryGetValue(step, out double v)) atStep.Add(v);
        if (atStep.Count < NMinTrials) return false;
        // For maximisation the "bad" side is the low end, so the threshold mirrors.
        double q = direction == StudyDirection.Maximize ? 100 - Percentile : Percentile;
        double threshold = PruningMath.NanPercentile(atStep, q);
        if (double.IsNaN(threshold)) return false;
        return direction == StudyDirection.Maximize ? best < threshold : best > threshold;
    }
}
