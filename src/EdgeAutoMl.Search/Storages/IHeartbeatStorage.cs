namespace EdgeAutoMl.Search;

/// <summary>
/// A storage that records heartbeats of running trials (Optuna's BaseHeartbeat), so a worker can tell a trial whose
/// process died (no heartbeat for <see cref="GracePeriod"/>) from one that is merely slow. When
/// <see cref="HeartbeatInterval"/> is set, <see cref="Study.Ask"/> starts beating for the trial until it is told, and
/// <see cref="Study.FailStaleTrials"/> fails (reason "stale") and re-queues only trials whose heartbeat stopped.
/// Times are the storage's clock, so workers on different hosts agree.
/// </summary>
public interface IHeartbeatStorage
{
    /// <summary>How often a running trial beats; null disables heartbeats.</summary>
    TimeSpan? HeartbeatInterval { get; }

    /// <summary>How long without a beat before a RUNNING trial is stale (Optuna default: 2 × interval).</summary>
    TimeSpan GracePeriod { get; }

    /// <summary>Stores "now" as the trial's latest heartbeat.</summary>
    void RecordHeartbeat(int trialId);

    /// <summary>Ids of the study's RUNNING trials whose latest heartbeat is older than <see cref="GracePeriod"/>.</summary>
    IReadOnlyList<int> GetStaleTrialIds(int studyId);
}
