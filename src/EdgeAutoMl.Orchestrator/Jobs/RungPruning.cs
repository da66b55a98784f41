using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Pruners;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// Asks an Optuna-style pruner whether a trial should stop at an accuracy rung. The search is
/// multi-objective, where Optuna (and our <see cref="Trial.ShouldPrune"/>) does not prune, so the
/// pruner judges one value — accuracy, maximised — in a single-objective in-memory shadow study:
/// each trial that reports gets a shadow trial that <see cref="Trial.Report"/>s the same value at
/// the same step and is finished with the same state. The values are also stored on the real
/// trial (intermediate values, as Optuna's table holds them), so a resumed search rebuilds the
/// shadow study from storage. Not thread-safe: callers hold the job's storage lock.
/// </summary>
public sealed class RungPruning
{
    /// <summary>Step of the calibration-subset accuracy.</summary>
    public const int SubsetStep = 1;
    /// <summary>Step of the full accuracy.</summary>
    public const int FullStep = 2;

    private readonly Study? _shadow;
    private readonly Dictionary<int, Trial> _running = [];

    /// <summary>Creates the judge; <paramref name="pruner"/> null never prunes.</summary>
    /// <param name="pruner">The pruner (see <see cref="PrunerFactory"/>).</param>
    /// <param name="studyName">The real study's name (Hyperband's bracket hash uses it).</param>
    /// <param name="earlier">The real study's trials so far, whose reported values seed the shadow.</param>
    public RungPruning(IPruner? pruner, string studyName, IEnumerable<FrozenTrial> earlier)
    {
        if (pruner is null) return;
        var storage = new InMemoryStorage();
        _shadow = Study.Create(storage, studyName, StudyDirection.Maximize, new RandomSampler(0), pruner: pruner);
        foreach (var t in earlier.OrderBy(t => t.Number))
        {
            if (t.IntermediateValues.Count == 0 || !t.State.IsFinished()) continue;
            double last = t.IntermediateValues[t.IntermediateValues.Keys.Max()];
            storage.CreateNewTrial(_shadow.StudyId, new FrozenTrial
            {
                State = t.State,
                Values = t.State == TrialState.Complete || t.State == TrialState.Pruned ? [last] : null,
                IntermediateValues = t.IntermediateValues,
                // Successive halving's rung records, copied back from the real trial.
                SystemAttrs = t.SystemAttrs.Where(kv => kv.Key.StartsWith("completed_rung_", StringComparison.Ordinal))
                    .ToDictionary(kv => kv.Key, kv => kv.Value),
                DatetimeStart = t.DatetimeStart, DatetimeComplete = t.DatetimeComplete,
            });
        }
    }

    /// <summary>True when a pruner is set.</summary>
    public bool Enabled => _shadow is not null;

    /// <summary>
    /// Reports <paramref name="accuracy"/> at <paramref name="step"/> for <paramref name="trial"/> (on
    /// the real trial and its shadow) and returns the pruner's verdict.
    /// </summary>
    public bool ReportAndAsk(Trial trial, int step, double accuracy)
    {
        if (!trial.IntermediateValues.ContainsKey(step))
        {
            // Trial.Report refuses multi-objective studies (as Optuna's does); the storage call is what it would do.
            if (trial.Study.IsMultiObjective) trial.Study.Storage.SetTrialIntermediateValue(trial.TrialId, step, accuracy);
            else trial.Report(accuracy, step);
        }
        if (_shadow is null) return false;
        if (!_running.TryGetValue(trial.Number, out var shadow)) _running[trial.Number] = shadow = _shadow.Ask();
        shadow.Report(accuracy, step);
        bool prune = shadow.ShouldPrune();
        foreach (var (k, v) in shadow.SystemAttrs)
            if (k.StartsWith("completed_rung_", StringComparison.Ordinal) && !trial.SystemAttrs.ContainsKey(k)) trial.SetSystemAttr(k, v);
        return prune;
    }

    /// <summary>Finishes the shadow of <paramref name="trialNumber"/> with the real trial's end state.</summary>
    public void Finished(int trialNumber, TrialState state, double? accuracy)
    {
        if (_shadow is null || !_running.Remove(trialNumber, out var shadow)) return;
        if (state == TrialState.Complete && accuracy is { } a && !double.IsNaN(a)) _shadow.Tell(shadow, a);
        else _shadow.Tell(shadow, state == TrialState.Complete ? TrialState.Fail : state);
    }
}
