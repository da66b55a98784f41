using EdgeAutoMl.Search.Pruners;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Pruners;

/// <summary>Median/percentile decisions on hand-built histories; each case states the arithmetic behind it.</summary>
public class PercentilePrunerTests
{
    internal static Study NewStudy(IPruner pruner, StudyDirection direction = StudyDirection.Minimize, string name = "s") =>
        Study.Create(new InMemoryStorage(), name, [direction], new RandomSampler(0), pruner: pruner);

    // A COMPLETE trial that reported values[i] at step i.
    internal static void Completed(Study study, params double[] values)
    {
        Trial t = study.Ask();
        for (int i = 0; i < values.Length; i++) t.Report(values[i], i);
        study.Tell(t, values[^1]);
    }

    [Fact]
    public void Median_waits_for_five_completed_trials_then_prunes_above_the_median()
    {
        Study study = NewStudy(new MedianPruner());
        foreach (double v in new[] { 1.0, 2, 3, 4 }) Completed(study, v);
        Trial t = study.Ask();
        t.Report(100, 0);
        Assert.False(t.ShouldPrune()); // 4 completed < n_startup_trials = 5
        Completed(study, 5);
        // Step-0 values of the completed trials: 1,2,3,4,5 → median 3; 100 > 3.
        Assert.True(t.ShouldPrune());

        Trial equal = study.Ask();
        equal.Report(3, 0);
        Assert.False(equal.ShouldPrune()); // not strictly worse than the median
    }

    [Fact]
    public void Warmup_steps_are_never_pruned()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0, nWarmupSteps: 2));
        Completed(study, 1, 1, 1);
        Trial t = study.Ask();
        t.Report(9, 0);
        Assert.False(t.ShouldPrune()); // step 0 < 2
        t.Report(9, 1);
        Assert.False(t.ShouldPrune()); // step 1 < 2
        t.Report(9, 2);
        Assert.True(t.ShouldPrune()); // step 2: best 9 > median 1
    }

    [Fact]
    public void Interval_checks_only_the_first_report_at_or_after_each_checkpoint()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0, intervalSteps: 2));
        Completed(study, 1, 1, 1, 1);
        Trial t = study.Ask();
        t.Report(9, 0);
        Assert.True(t.ShouldPrune()); // checkpoint 0, nothing before it
        t.Report(9, 1);
        // step 1: last checkpoint is 0 and step 0 (≥ 0) was already reported → not a check step.
        Assert.False(t.ShouldPrune());
        t.Report(9, 2);
        Assert.True(t.ShouldPrune()); // checkpoint 2, previous report 1 < 2

        Trial skipper = study.Ask();
        skipper.Report(9, 3);
        // Only step 3 reported: checkpoint 2, previous report "−1" < 2 → checked although 3 is not a checkpoint.
        Assert.True(skipper.ShouldPrune());
    }

    [Fact]
    public void The_trial_is_judged_by_its_best_value_so_far()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0));
        Completed(study, 5, 5);
        Trial t = study.Ask();
        t.Report(0.5, 0);
        t.Report(10, 1);
        // Step-1 median of completed = 5; the trial's best over its steps is 0.5 (min) → kept.
        Assert.False(t.ShouldPrune());
    }

    [Fact]
    public void All_nan_reports_prune_and_nan_competitors_are_ignored()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0));
        Completed(study, 1);
        Trial t = study.Ask();
        t.Report(double.NaN, 0);
        Assert.True(t.ShouldPrune()); // nanmin of [NaN] is NaN → prune

        Study nanOnly = NewStudy(new MedianPruner(nStartupTrials: 0));
        Trial c = nanOnly.Ask();
        c.Report(double.NaN, 0);
        nanOnly.Tell(c, 1.0);
        Trial u = nanOnly.Ask();
        u.Report(100, 0);
        Assert.False(u.ShouldPrune()); // nanpercentile of [NaN] is NaN → cannot judge → keep
    }

    [Fact]
    public void N_min_trials_counts_completed_trials_that_reported_at_this_step()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0, nMinTrials: 2));
        Completed(study, 1, 1);   // reported steps 0, 1
        Completed(study, 1);      // reported step 0 only
        Trial t = study.Ask();
        t.Report(9, 0);
        Assert.True(t.ShouldPrune());  // two completed trials reported at step 0
        Trial u = study.Ask();
        u.Report(9, 1);
        Assert.False(u.ShouldPrune()); // only one reported at step 1 < n_min_trials 2
    }

    [Fact]
    public void Percentile_interpolates_linearly_like_numpy()
    {
        // Minimise, 25th percentile of [1, 2, 10, 20]: position 0.25·3 = 0.75 → 1 + 0.75·(2 − 1) = 1.75.
        Study study = NewStudy(new PercentilePruner(25, nStartupTrials: 0));
        foreach (double v in new[] { 10.0, 1, 20, 2 }) Completed(study, v);
        Trial above = study.Ask();
        above.Report(1.8, 0);
        Assert.True(above.ShouldPrune());
        Trial below = study.Ask();
        below.Report(1.7, 0);
        Assert.False(below.ShouldPrune());
    }

    [Fact]
    public void Maximisation_mirrors_the_percentile()
    {
        // Maximise with percentile 25: threshold is the 75th percentile of [1..5] = position 3 → 4; prune if best < 4.
        Study study = NewStudy(new PercentilePruner(25, nStartupTrials: 0), StudyDirection.Maximize);
        foreach (double v in new[] { 1.0, 2, 3, 4, 5 }) Completed(study, v);
        Trial low = study.Ask();
        low.Report(3.9, 0);
        Assert.True(low.ShouldPrune());
        Trial high = study.Ask();
        high.Report(4.0, 0);
        Assert.False(high.ShouldPrune());
    }

    [Fact]
    public void Only_complete_trials_count_and_multi_objective_is_refused()
    {
        Study study = NewStudy(new MedianPruner(nStartupTrials: 0));
        Trial pruned = study.Ask();
        pruned.Report(1, 0);
        study.Tell(pruned, TrialState.Pruned);
        Trial t = study.Ask();
        t.Report(100, 0);
        Assert.False(t.ShouldPrune()); // no COMPLETE trial yet (the pruned one does not count)

        Study mo = Study.Create(new InMemoryStorage(), "mo", [StudyDirection.Minimize, StudyDirection.Minimize]);
        Assert.Throws<NotSupportedException>(() => mo.Ask().ShouldPrune());
    }

    [Fact]
    public void Defaults_and_argument_checks_match_optuna()
    {
        var m = new MedianPruner();
        Assert.Equal((50.0, 5, 0, 1, 1), (m.Percentile, m.NStartupTrials, m.NWarmupSteps, m.IntervalSteps, m.NMinTrials));
        Assert.IsType<MedianPruner>(Study.Create(new InMemoryStorage(), "d").Pruner);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PercentilePruner(101));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(intervalSteps: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MedianPruner(nMinTrials: 0));
        Assert.False(new NopPruner().Prune(NewStudy(new NopPruner()), new FrozenTrial()));
    }
}
