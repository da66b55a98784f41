using EdgeAutoMl.Search;

namespace EdgeAutoMl.Storage.Tests.Contract;

/// <summary>
/// The heartbeat behaviour every RDB storage must show (run against SQLite and PostgreSQL): a trial whose worker died
/// is failed with reason "stale" — distinct from a plain failure — and re-queued with its params and retry history,
/// while a trial that keeps beating is left alone.
/// </summary>
public static class HeartbeatScenario
{
    /// <param name="storage">A storage with heartbeat interval 200 ms and grace period 2 s.</param>
    public static void Stale_trial_is_failed_and_requeued_with_its_history<TStorage>(TStorage storage)
        where TStorage : IStorage, IHeartbeatStorage
    {
        Study study = Study.Create(storage, "hb", StudyDirection.Minimize, new Search.Samplers.RandomSampler(0));

        // A worker that died: its trial beat once, holds a param, then nothing (written as that worker would have).
        int deadId = storage.CreateNewTrial(study.StudyId);
        storage.RecordHeartbeat(deadId);
        storage.SetTrialParam(deadId, "bits", 4, new Search.Distributions.IntDistribution(2, 8));
        FrozenTrial dead = storage.GetTrial(deadId);
        Trial alive = study.Ask(); // keeps beating every 200 ms
        Trial plainFail = study.Ask();
        study.Tell(plainFail, TrialState.Fail, "board not responding");
        Assert.Empty(study.FailStaleTrials()); // nothing is stale yet

        Thread.Sleep(TimeSpan.FromSeconds(3)); // longer than the grace period: the dead trial's last beat is now stale
        Assert.Equal([dead.Number], study.FailStaleTrials());
        Assert.Empty(study.FailStaleTrials()); // a second sweep finds nothing more

        FrozenTrial failed = storage.GetTrial(dead.TrialId);
        Assert.Equal(TrialState.Fail, failed.State);
        Assert.Equal(Study.StaleReason, failed.SystemAttrs[Study.FailReasonKey]);
        Assert.Equal("board not responding", storage.GetTrial(plainFail.TrialId).SystemAttrs[Study.FailReasonKey]);
        Assert.Equal(TrialState.Running, storage.GetTrial(alive.TrialId).State);

        // The retry keeps the params and points back at the failed attempt; the next Ask claims it.
        Trial retry = study.Ask();
        Assert.Equal((long)dead.Number, retry.SystemAttrs["failed_trial"]);
        Assert.Equal(new List<object?> { (long)dead.Number }, retry.SystemAttrs[Study.RetryHistoryKey]);
        Assert.Equal(4, retry.SuggestInt("bits", 2, 8));
        study.Tell(retry, 1.0);
        study.Tell(alive, 2.0);
    }

    /// <summary>
    /// Optimize on two storage objects (two workers): worker A's trial is abandoned mid-run (its heartbeat stopped as if
    /// the process was killed); worker B's Optimize sweeps it as stale before its own trials and re-runs its params.
    /// </summary>
    public static void Optimize_of_another_worker_reruns_a_dead_workers_trial<TStorage>(TStorage a, TStorage b)
        where TStorage : IStorage, IHeartbeatStorage
    {
        Study sa = Study.Create(a, "opt", StudyDirection.Minimize, new Search.Samplers.RandomSampler(1));
        // Worker A's trial, written as its Ask/suggest would, then the process died: no Tell, no more beats.
        int abandonedId = a.CreateNewTrial(sa.StudyId);
        a.RecordHeartbeat(abandonedId);
        const double x = 7.25;
        a.SetTrialParam(abandonedId, "x", x, new Search.Distributions.FloatDistribution(0, 10));
        FrozenTrial abandoned = a.GetTrial(abandonedId);
        Thread.Sleep(TimeSpan.FromSeconds(3));

        Study sb = Study.Load(b, "opt", new Search.Samplers.RandomSampler(2));
        var seen = new List<double>();
        sb.Optimize(t => { double v = t.SuggestFloat("x", 0, 10); seen.Add(v); return v; }, 3);
        Assert.Equal(x, seen[0]); // the re-queued trial is the first one B runs
        var trials = b.GetAllTrials(sb.StudyId);
        Assert.Equal(4, trials.Count);
        Assert.Equal(Study.StaleReason, trials[0].SystemAttrs[Study.FailReasonKey]);
        Assert.Equal(TrialState.Fail, trials[0].State);
        Assert.All(trials.Skip(1), t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal((long)abandoned.Number, trials[1].SystemAttrs["failed_trial"]);
    }
}
