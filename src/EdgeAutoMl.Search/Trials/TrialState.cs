namespace EdgeAutoMl.Search;

/// <summary>Lifecycle of a trial; names equal Optuna's (they are stored by name in the <c>trials.state</c> column).</summary>
public enum TrialState
{
    /// <summary>Being evaluated.</summary>
    Running = 0,
    /// <summary>Finished with objective values.</summary>
    Complete = 1,
    /// <summary>Stopped early by a pruner (or the objective raised <see cref="TrialPrunedException"/>).</summary>
    Pruned = 2,
    /// <summary>The objective failed; the reason is in system attr <c>fail_reason</c>.</summary>
    Fail = 3,
    /// <summary>Enqueued, not yet claimed by a worker.</summary>
    Waiting = 4,
}

/// <summary>Helpers on <see cref="TrialState"/>.</summary>
public static class TrialStateExtensions
{
    /// <summary>Complete, Pruned or Fail: the trial can no longer change.</summary>
    public static bool IsFinished(this TrialState state) =>
        state is TrialState.Complete or TrialState.Pruned or TrialState.Fail;

    /// <summary>Optuna's enum name (<c>COMPLETE</c>, ...).</summary>
    public static string ToOptunaName(this TrialState state) => state.ToString().ToUpperInvariant();

    /// <summary>Parses Optuna's enum name.</summary>
    /// <exception cref="FormatException">Unknown name.</exception>
    public static TrialState ParseOptunaName(string name) => name switch
    {
        "RUNNING" => TrialState.Running,
        "COMPLETE" => TrialState.Complete,
        "PRUNED" => TrialState.Pruned,
        "FAIL" => TrialState.Fail,
        "WAITING" => TrialState.Waiting,
        _ => throw new FormatException($"Unknown trial state '{name}' (expected RUNNING, COMPLETE, PRUNED, FAIL or WAITING)."),
    };
}
