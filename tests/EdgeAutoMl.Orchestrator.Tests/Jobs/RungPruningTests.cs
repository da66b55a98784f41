using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Orchestrator.Objectives;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Pruners;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Orchestrator.Tests.Jobs;

public class RungPruningTests
{
    private static readonly StudyDirection[] Four =
        [StudyDirection.Maximize, StudyDirection.Minimize, StudyDirection.Minimize, StudyDirection.Minimize];

    /// <summary>Runs one trial of a multi-objective study through the judge: reports, then completes or prunes.</summary>
    private static bool RunTrial(Study study, RungPruning judge, double subset, double full)
    {
        var t = study.Ask();
        if (judge.ReportAndAsk(t, RungPruning.SubsetStep, subset) || judge.ReportAndAsk(t, RungPruning.FullStep, full))
        {
            study.Tell(t, TrialState.Pruned, "pruned");
            judge.Finished(t.Number, TrialState.Pruned, null);
            return true;
        }
        study.Tell(t, full, 1, 1, 1);
        judge.Finished(t.Number, TrialState.Complete, full);
        return false;
    }

    [Fact]
    public void Median_pruner_stops_a_below_median_trial_of_a_multi_objective_study_after_its_startup_trials()
    {
        var study = Study.Create(new InMemoryStorage(), "s", Four);
        var judge = new RungPruning(new MedianPruner(nStartupTrials: 3), "s", study.GetTrials());
        Assert.True(judge.Enabled);
        // Startup: nothing is pruned, however bad.
        Assert.False(RunTrial(study, judge, 0.90, 0.91));
        Assert.False(RunTrial(study, judge, 0.80, 0.81));
        Assert.False(RunTrial(study, judge, 0.95, 0.96));
        // Below the median of the completed trials at step 1 (0.90): pruned there.
        Assert.True(RunTrial(study, judge, 0.50, 0.99));
        // Above the median at both steps: completes.
        Assert.False(RunTrial(study, judge, 0.97, 0.97));

        var stored = study.GetTrials();
        // The values are on the real (multi-objective) trials too, as Optuna's table would hold them.
        Assert.Equal(0.50, stored[3].IntermediateValues[RungPruning.SubsetStep]);
        Assert.False(stored[3].IntermediateValues.ContainsKey(RungPruning.FullStep));
        Assert.Equal(0.97, stored[4].IntermediateValues[RungPruning.FullStep]);
        Assert.Equal(TrialState.Pruned, stored[3].State);
    }

    [Fact]
    public void A_resumed_judge_rebuilds_the_completed_trials_from_storage()
    {
        var storage = new InMemoryStorage();
        var study = Study.Create(storage, "s", Four);
        var first = new RungPruning(new MedianPruner(nStartupTrials: 2), "s", study.GetTrials());
        Assert.False(RunTrial(study, first, 0.9, 0.9));
        Assert.False(RunTrial(study, first, 0.8, 0.8));

        // A new process: the judge only knows what storage holds.
        var again = Study.Load(storage, "s");
        var second = new RungPruning(new MedianPruner(nStartupTrials: 2), "s", again.GetTrials());
        Assert.True(RunTrial(again, second, 0.5, 0.5));
        // Without the earlier trials (a fresh judge on an empty history) the same trial is in its startup phase.
        var fresh = new RungPruning(new MedianPruner(nStartupTrials: 2), "s", []);
        Assert.False(RunTrial(again, fresh, 0.5, 0.5));
    }

    [Fact]
    public void No_pruner_never_prunes_but_still_stores_the_rung_values()
    {
        var study = Study.Create(new InMemoryStorage(), "s", Four);
        var judge = new RungPruning(null, "s", []);
        Assert.False(judge.Enabled);
        for (int i = 0; i < 8; i++) Assert.False(RunTrial(study, judge, 0.1 * i, 0.1 * i));
        Assert.All(study.GetTrials(), t => Assert.Equal(2, t.IntermediateValues.Count));
    }

    [Fact]
    public void Successive_halving_from_the_factory_keeps_the_better_half_and_records_its_rungs_on_the_real_trial()
    {
        var study = Study.Create(new InMemoryStorage(), "s", Four);
        var judge = new RungPruning(PrunerFactory.Create("sha"), "s", []);
        Assert.False(RunTrial(study, judge, 0.9, 0.9)); // the first value at a rung is the best so far
        Assert.True(RunTrial(study, judge, 0.1, 0.1));  // worse than the top half of {0.9, 0.1}
        var first = study.GetTrials()[0];
        Assert.True(first.SystemAttrs.ContainsKey(SuccessiveHalvingPruner.RungKey(0)));
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("median", typeof(MedianPruner))]
    [InlineData("percentile", typeof(PercentilePruner))]
    [InlineData("percentile:10", typeof(PercentilePruner))]
    [InlineData("sha", typeof(SuccessiveHalvingPruner))]
    [InlineData("hyperband", typeof(HyperbandPruner))]
    [InlineData(PrunerFactory.Default, typeof(PercentilePruner))]
    public void Factory_builds_each_named_pruner(string spec, Type? type)
    {
        var p = PrunerFactory.Create(spec);
        Assert.Equal(type, p?.GetType());
        if (spec == "percentile:10") Assert.Equal(10, ((PercentilePruner)p!).Percentile);
    }

    [Theory]
    [InlineData("asha")]
    [InlineData("percentile:101")]
    [InlineData("percentile:x")]
    [InlineData("median:3")]
    public void Factory_rejects_unknown_pruners_naming_the_accepted_ones(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => PrunerFactory.Create(spec));
        Assert.Contains(spec, e.Message);
        Assert.Contains("0..100", e.Message + PrunerFactory.Names);
    }

    [Fact]
    public void Class_scores_give_per_class_recall_and_NaN_for_an_absent_class()
    {
        float[] Out(int cls) { var v = new float[4]; v[cls] = 1; return v; }
        // labels: 0,0,1,1,3 ; predictions: 0,1,1,1,0 → class 0: 1/2, class 1: 2/2, class 2: absent, class 3: 0/1
        var (acc, per) = ConfigEvaluator.ClassScores([Out(0), Out(1), Out(1), Out(1), Out(0)], [0, 0, 1, 1, 3]);
        Assert.Equal(3 / 5.0, acc, 12);
        Assert.Equal(0.5, per[0]);
        Assert.Equal(1.0, per[1]);
        Assert.True(double.IsNaN(per[2]));
        Assert.Equal(0.0, per[3]);
    }

    [Fact]
    public void Class_accuracy_is_a_constraint_metric_that_needs_no_device()
    {
        var c = Constraint.Parse("class_accuracy>=0.8");
        Assert.Equal(Metric.ClassAccuracy, c.Metric);
        Assert.False(Metric.NeedsDevice(c.Metric));
        Assert.True(Metric.IsAccuracy(c.Metric));
        Assert.True(c.Value(0.7) > 0);
        Assert.True(c.Value(0.85) <= 0);
        var m = new Measurement.TrialMetrics { ClassAccuracy = 0.7 };
        Assert.Equal(0.7, m.Get("class_accuracy"));
    }
}
