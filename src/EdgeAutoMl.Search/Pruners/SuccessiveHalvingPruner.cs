namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// Asynchronous successive halving (Optuna's SuccessiveHalvingPruner, ASHA). Rung r ends at step
/// min_resource·reduction^(min_early_stopping_rate + r). When a trial reaches a rung it records its value there
/// (system attr <c>completed_rung_r</c>) and survives only if it is in the top 1/reduction of all values recorded at
/// that rung by any trial so far (at least the best one survives). Defaults: min_resource "auto", reduction 4, rate 0.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private int? _minResource; // null = "auto", fixed on first use from the completed trials (as Optuna caches it)
    private readonly object _gate = new();

    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">Steps of the first rung; null for "auto" (max(last step of the longest completed trial / 100, 1)).</param>
    /// <param name="reductionFactor">Keep the top 1/reductionFactor at each rung (≥ 2).</param>
    /// <param name="minEarlyStoppingRate">Rungs skipped at the start (≥ 0).</param>
    /// <param name="bootstrapCount">Values a rung must hold before anything can be promoted; needs a fixed minResource.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting outside its range (as Optuna's ValueError).</exception>
    public SuccessiveHalvingPruner(int? minResource = null, int reductionFactor = 4, int minEarlyStoppingRate = 0, int bootstrapCount = 0)
    {
        if (minResource is < 1)
            throw new ArgumentOutOfRangeException(nameof(minResource), $"min_resource is {minResource}, but must be >= 1 or \"auto\" (null).");
        if (reductionFactor < 2)
            throw new ArgumentOutOfRangeException(nameof(reductionFactor), $"reduction_factor is {reductionFactor}, but must be >= 2.");
        if (minEarlyStoppingRate < 0)
            throw new ArgumentOutOfRangeException(nameof(minEarlyStoppingRate), $"min_early_stopping_rate is {minEarlyStoppingRate}, but must be >= 0.");
        if (bootstrapCount < 0)
            throw new ArgumentOutOfRangeException(nameof(bootstrapCount), $"bootstrap_count is {bootstrapCount}, but must be >= 0.");
        if (bootstrapCount > 0 && minResource is null)
            throw new ArgumentException("bootstrap_count > 0 and min_resource \"auto\" are mutually incompatible.", nameof(bootstrapCount));
        _minResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
        BootstrapCount = bootstrapCount;
    }

    /// <summary>Steps of the first rung; null while "auto" has not been resolved yet.</summary>
    public int? MinResource { get { lock (_gate) return _minResource; } }
    /// <summary>Reduction factor η.</summary>
    public int ReductionFactor { get; }
    /// <summary>Rungs skipped at the start.</summary>
    public int MinEarlyStoppingRate { get; }
    /// <summary>Values needed at a rung before promotion is possible.</summary>
    public int BootstrapCount { get; }

    /// <summary>System attr recording a trial's value at rung <paramref name="rung"/> (Optuna's key).</summary>
    public static string RungKey(int rung) => $"completed_rung_{rung}";

    /// <inheritdoc />
    public bool Prune(Study study, FrozenTrial trial) => Prune(study, trial, () => study.GetTrials(null, useCache: false));

    /// <summary>
    /// The decision with the competing trials supplied by the caller: Hyperband passes only the trials of the
    /// trial's bracket, so each bracket runs its own successive halving.
    /// </summary>
    internal bool Prune(Study study, FrozenTrial trial, Func<IReadOnlyList<FrozenTrial>> competitors)
    {
        if (trial.LastStep is not { } step) return false;
        int rung = CurrentRung(trial);
        double value = trial.IntermediateValues[step];
        IReadOnlyList<FrozenTrial>? trials = null;
        while (true)
        {
            int minResource;
            lock (_gate)
            {
                if (_minResource is null)
                {
                    trials ??= competitors();
                    _minResource = EstimateMinResource(trials);
                    if (_minResource is null) return false;
                }
                minResource = _minResource.Value;
            }
            double promotionStep = minResource * Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung);
            if (step < promotionStep) return false;
            if (double.IsNaN(value)) return true;

            // The competitor list is read before this trial records its rung value, so the trial counts once (below).
            trials ??= competitors();
            string key = RungKey(rung);
            study.Storage.SetTrialSystemAttr(trial.TrialId, key, value);
            var competing = new List<double>();
            foreach (FrozenTrial t in trials)
                if (t.SystemAttrs.TryGetValue(key, out object? v) && v is not null) competing.Add(Convert.ToDouble(v));
            competing.Add(value);
            if (competing.Count <= BootstrapCount) return true;
            if (!IsPromotable(value, competing, ReductionFactor, study.Direction)) return true;
            rung++;
        }
    }

    // Optuna: the first rung is 1% of the longest completed trial, at least one step.
    private static int? EstimateMinResource(IReadOnlyList<FrozenTrial> trials)
    {
        int? longest = null;
        foreach (FrozenTrial t in trials)
            if (t.State == TrialState.Complete && t.LastStep is { } s && (longest is null || s > longest)) longest = s;
        return longest is { } l ? Math.Max(l / 100, 1) : null;
    }

    private static int CurrentRung(FrozenTrial trial)
    {
        int rung = 0;
        while (trial.SystemAttrs.ContainsKey(RungKey(rung))) rung++;
        return rung;
    }

    // Top 1/η of the rung survives; index (n / η) − 1, but never below the best one.
    private static bool IsPromotable(double value, List<double> competing, int reductionFactor, StudyDirection direction)
    {
        int idx = Math.Max(competing.Count / reductionFactor - 1, 0);
        competing.Sort();
        return direction == StudyDirection.Maximize
            ? value >= competing[competing.Count - 1 - idx]
            : value <= competing[idx];
    }
}
