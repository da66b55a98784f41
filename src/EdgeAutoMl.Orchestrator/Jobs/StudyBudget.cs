using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// The trial budget of a study, shared by every process working on it (<c>search</c> and any <c>worker</c>s): a trial
/// is asked only while finished + running trials of the whole study are fewer than the budget. As before workers
/// existed, every finished trial counts, a failed one too, except one failed as stale or interrupted: its re-queued
/// retry is claimed first by the next ask and its outcome is the one that counts (as in <c>search --resume</c>), so a
/// study whose workers were killed still ends with budget-many real outcomes and no retry left waiting. Two processes asking at the same instant may both pass
/// the check, so the study can end up to (processes − 1) trials over budget; every trial is still run and recorded.
/// </summary>
public static class StudyBudget
{
    /// <summary>Trial system attribute naming the process that ran the trial (host:pid).</summary>
    public const string WorkerKey = "worker";

    /// <summary>This process, as stored in <see cref="WorkerKey"/>.</summary>
    public static string ThisWorker { get; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// A trial with an outcome of this study's own: COMPLETE, PRUNED or FAIL, but not a FAIL that was queued again as
    /// interrupted or stale (its retry's outcome is the one that counts) and not a trial copied by --warm-start (the
    /// earlier study measured it). <c>search</c>'s progress and the shared budget both count with this.
    /// </summary>
    public static bool IsOwnOutcome(FrozenTrial t) =>
        (t.State is TrialState.Complete or TrialState.Pruned || (t.State == TrialState.Fail && !SearchJob.IsRequeued(t)))
        && !SearchStats.IsCopied(t);

    /// <summary>Trials with an outcome of this study's own (<see cref="IsOwnOutcome"/>) plus running trials.</summary>
    public static int Used(Study study) =>
        study.GetTrials().Count(t => t.State == TrialState.Running || IsOwnOutcome(t));

    /// <summary>
    /// Sweeps trials whose worker died (heartbeat storages only), then asks a trial if the study's budget allows it;
    /// null when the budget is spent. The trial is tagged with this process.
    /// </summary>
    public static Trial? TryAsk(Study study, int budget)
    {
        if (study.Storage is IHeartbeatStorage { HeartbeatInterval: not null }) study.FailStaleTrials();
        if (Used(study) >= budget) return null;
        Trial trial = study.Ask();
        trial.SetSystemAttr(WorkerKey, ThisWorker);
        return trial;
    }
}
