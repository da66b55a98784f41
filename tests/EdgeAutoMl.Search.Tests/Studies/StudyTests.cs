using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Studies;

public class StudyTests
{
    private static Study NewStudy(params StudyDirection[] directions) =>
        Study.Create(new InMemoryStorage(), "s", directions.Length == 0 ? [StudyDirection.Minimize] : directions, new RandomSampler(1));

    [Fact]
    public void Exceptions_fail_the_trial_with_a_reason_and_the_study_goes_on()
    {
        Study study = NewStudy();
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", 0, 1);
            if (t.Number == 1) throw new IOException("board not responding on /dev/ttyACM0");
            if (t.Number == 2) throw new TrialPrunedException();
            return x;
        }, 4);
        var trials = study.Trials;
        Assert.Equal([TrialState.Complete, TrialState.Fail, TrialState.Pruned, TrialState.Complete], trials.Select(t => t.State));
        Assert.Equal("IOException: board not responding on /dev/ttyACM0", trials[1].SystemAttrs[Study.FailReasonKey]);
        Assert.NotNull(trials[1].Params["x"]); // the param suggested before the failure is kept
        Assert.NotNull(trials[3].DatetimeComplete);
    }

    [Fact]
    public void Nan_and_wrong_value_counts_fail_the_trial()
    {
        Study study = NewStudy();
        study.Optimize(t => t.Number == 0 ? double.NaN : 1.0, 2);
        Assert.Equal(TrialState.Fail, study.Trials[0].State);
        Study two = NewStudy(StudyDirection.Minimize, StudyDirection.Maximize);
        two.Optimize(_ => new[] { 1.0 }, 1);
        Assert.Equal(TrialState.Fail, two.Trials[0].State);
        Assert.Contains("1 value(s)", (string)two.Trials[0].SystemAttrs[Study.FailReasonKey]!);
        Assert.Throws<ArgumentException>(() => two.Tell(two.Ask(), 1.0));
    }

    [Fact]
    public void Ask_tell_and_finished_trials_cannot_change()
    {
        Study study = NewStudy();
        Trial t = study.Ask();
        int bits = t.SuggestInt("bits", 2, 8);
        Assert.Equal(bits, t.SuggestInt("bits", 2, 8)); // a second suggest returns the same value
        t.SetUserAttr("flash_bytes", 12345);
        t.Report(0.5, 0);
        FrozenTrial done = study.Tell(t, 0.25);
        Assert.Equal(TrialState.Complete, done.State);
        Assert.Equal(0.25, done.Value);
        Assert.Equal(12345L, done.UserAttrs["flash_bytes"]);
        Assert.Equal(0.5, done.IntermediateValues[0]);
        Assert.Throws<TrialAlreadyFinishedException>(() => study.Tell(t, 0.1));
        Assert.Throws<TrialAlreadyFinishedException>(() => t.SetUserAttr("x", 1));
    }

    [Fact]
    public void Pruned_single_objective_trial_keeps_its_last_reported_value()
    {
        Study study = NewStudy();
        Trial t = study.Ask();
        t.Report(0.9, 0);
        t.Report(0.7, 3);
        Assert.Equal([0.7], study.Tell(t, TrialState.Pruned).Values);
    }

    [Fact]
    public void Enqueued_params_are_used_and_others_are_sampled()
    {
        Study study = NewStudy();
        study.EnqueueTrial(new Dictionary<string, object?> { ["bits"] = 3, ["act"] = "tanh" });
        Trial t = study.Ask();
        Assert.Equal(3, t.SuggestInt("bits", 2, 8));
        Assert.Equal("tanh", t.SuggestCategorical("act", new[] { "relu", "tanh" }));
        double lr = t.SuggestFloat("lr", 0.1, 0.2);
        Assert.InRange(lr, 0.1, 0.2);
        study.Tell(t, 1.0);
        Assert.Equal(TrialState.Complete, study.Trials.Single().State);
        Assert.Equal(0, study.Trials.Single().Number);
    }

    [Fact]
    public void Incompatible_categorical_choices_are_rejected_across_trials()
    {
        Study study = NewStudy();
        Trial a = study.Ask();
        a.SuggestCategorical("act", new[] { "relu", "tanh" });
        study.Tell(a, 1.0);
        Trial b = study.Ask();
        Assert.Throws<InvalidOperationException>(() => b.SuggestCategorical("act", new[] { "relu", "gelu" }));
    }

    [Fact]
    public void Best_trial_ignores_infeasible_trials()
    {
        Study study = NewStudy(StudyDirection.Maximize);
        foreach (var (value, c) in new[] { (0.99, 1.0), (0.9, 0.0), (0.8, -1.0) })
        {
            Trial t = study.Ask();
            t.SetConstraints(c);
            study.Tell(t, value);
        }
        Assert.Equal(0.9, study.BestValue);
        Assert.Equal(1, study.BestTrial.Number);
        Assert.Equal([1], study.BestTrials.Select(t => t.Number));
    }

    [Fact]
    public void Best_trials_is_the_pareto_front_for_mixed_directions()
    {
        Study study = NewStudy(StudyDirection.Maximize, StudyDirection.Minimize); // accuracy up, energy down
        (double acc, double energy)[] points = [(0.9, 10), (0.95, 20), (0.85, 15), (0.95, 25), (0.97, 30)];
        foreach (var (acc, energy) in points) study.Tell(study.Ask(), acc, energy);
        Assert.Equal([0, 1, 4], study.BestTrials.Select(t => t.Number).Order());
        Assert.Throws<InvalidOperationException>(() => study.BestTrial);
    }

    [Fact]
    public void Fail_stale_trials_requeues_the_params_of_interrupted_trials()
    {
        var storage = new InMemoryStorage();
        Study first = Study.Create(storage, "r", StudyDirection.Minimize, new RandomSampler(1));
        Trial t = first.Ask();
        int bits = t.SuggestInt("bits", 2, 8);
        // The process "dies" here: trial 0 stays RUNNING. A new process resumes:
        Study resumed = Study.Load(storage, "r", new RandomSampler(2));
        Assert.Equal([0], resumed.FailStaleTrials());
        FrozenTrial old = resumed.Trials[0];
        Assert.Equal(TrialState.Fail, old.State);
        Assert.Equal("interrupted", old.SystemAttrs[Study.FailReasonKey]);
        Trial retry = resumed.Ask();
        Assert.Equal(1, retry.Number);
        Assert.Equal(bits, retry.SuggestInt("bits", 2, 8));
        Assert.Equal(0L, retry.SystemAttrs["failed_trial"]);
    }

    [Fact]
    public void Create_load_and_duplicates()
    {
        var storage = new InMemoryStorage();
        Study.Create(storage, "a", StudyDirection.Maximize);
        Assert.Throws<DuplicatedStudyException>(() => Study.Create(storage, "a", StudyDirection.Maximize));
        Assert.Equal(StudyDirection.Maximize, Study.Create(storage, "a", StudyDirection.Maximize, loadIfExists: true).Direction);
        Assert.Throws<ArgumentException>(() => Study.Create(storage, "a", StudyDirection.Minimize, loadIfExists: true));
        Assert.Throws<StudyNotFoundException>(() => Study.Load(storage, "nope"));
        Study s = Study.Load(storage, "a");
        s.SetUserAttr("model", "mnist.onnx");
        Assert.Equal("mnist.onnx", s.UserAttrs["model"]);
    }
    [Fact]
    public void A_trial_failed_as_stale_by_another_worker_keeps_that_outcome_and_optimize_goes_on()
    {
        // Another worker's sweep fails the running trial (as Study.FailStaleTrials does when a heartbeat lapses).
        var storage = new InMemoryStorage();
        var study = Study.Create(storage, "s", StudyDirection.Minimize, new RandomSampler(1));
        var seen = new List<FrozenTrial>();
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", 0, 1);
            if (t.Number == 1)
            {
                storage.SetTrialSystemAttr(t.TrialId, Study.FailReasonKey, Study.StaleReason);
                storage.SetTrialStateValues(t.TrialId, TrialState.Fail);
            }
            return x;
        }, 3, [(_, f) => seen.Add(f)]);
        Assert.Equal([TrialState.Complete, TrialState.Fail, TrialState.Complete], study.Trials.Select(t => t.State));
        Assert.Equal(Study.StaleReason, study.Trials[1].SystemAttrs[Study.FailReasonKey]);
        Assert.Equal(TrialState.Fail, seen[1].State); // callbacks see the trial as stored
        var again = study.Ask();
        study.Tell(again, 0.5);
        var e = Assert.Throws<TrialAlreadyFinishedException>(() => study.Tell(again, 0.4));
        Assert.Equal(again.Number, e.Number);
    }

    [Fact]
    public void TryTell_finishes_an_open_trial_and_leaves_a_finished_one_as_stored()
    {
        var storage = new InMemoryStorage();
        var study = Study.Create(storage, "s", StudyDirection.Minimize, new RandomSampler(2));
        var open = study.Ask();
        Assert.True(study.TryTell(open, [0.3], out var done));
        Assert.Equal(0.3, done.Value);
        var stale = study.Ask();
        storage.SetTrialSystemAttr(stale.TrialId, Study.FailReasonKey, Study.StaleReason);
        storage.SetTrialStateValues(stale.TrialId, TrialState.Fail);
        Assert.False(study.TryTell(stale, [0.1], out var kept));
        Assert.Equal(TrialState.Fail, kept.State);
        Assert.Equal(Study.StaleReason, kept.SystemAttrs[Study.FailReasonKey]);
        Assert.False(study.TryTell(open, TrialState.Pruned, null, out var same));
        Assert.Equal(TrialState.Complete, same.State);
        Assert.Equal(0.3, same.Value);
    }
}
