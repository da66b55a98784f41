using EdgeAutoMl.Search.Pruners;
using static EdgeAutoMl.Search.Tests.Pruners.PercentilePrunerTests;

namespace EdgeAutoMl.Search.Tests.Pruners;

/// <summary>Successive halving and Hyperband on hand-worked rung histories.</summary>
public class SuccessiveHalvingAndHyperbandTests
{
    [Fact]
    public void Rungs_keep_the_top_fraction_and_record_their_values()
    {
        // min_resource 1, η 2: rung r ends at step 2^r. A rung keeps index max(n/2 − 1, 0) of the sorted values.
        Study study = NewStudy(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2));
        Trial t0 = study.Ask(), t1 = study.Ask(), t2 = study.Ask();

        t0.Report(0.5, 0);
        Assert.False(t0.ShouldPrune());                 // step 0 < rung-0 end 1
        t0.Report(0.4, 1);
        Assert.False(t0.ShouldPrune());                 // rung 0: [0.4] → kept; rung 1 ends at 2 > 1
        Assert.Equal(0.4, t0.SystemAttrs[SuccessiveHalvingPruner.RungKey(0)]);

        t1.Report(0.9, 1);
        Assert.True(t1.ShouldPrune());                  // rung 0: [0.4, 0.9], idx 0 → needs ≤ 0.4

        t2.Report(0.3, 1);
        Assert.False(t2.ShouldPrune());                 // rung 0: [0.3, 0.4, 0.9], idx 0 → 0.3 ≤ 0.3

        t0.Report(0.35, 2);
        Assert.False(t0.ShouldPrune());                 // t0 is at rung 1 now: [0.35] alone → kept
        Assert.Equal(0.35, t0.SystemAttrs[SuccessiveHalvingPruner.RungKey(1)]);

        t2.Report(0.38, 2);
        Assert.True(t2.ShouldPrune());                  // rung 1: [0.35, 0.38], idx 0 → needs ≤ 0.35
    }

    [Fact]
    public void Larger_rungs_promote_n_over_eta()
    {
        // η 4, five earlier values at rung 0: with the new one n = 6, idx = 6/4 − 1 = 0 → only the best survives;
        // with eight values n = 9 → idx 1: the second best survives too.
        Study study = NewStudy(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 4), StudyDirection.Maximize);
        foreach (double v in new[] { 1.0, 2, 3, 4, 5 })
        {
            Trial t = study.Ask();
            t.Report(v, 1);
            t.ShouldPrune();
            study.Tell(t, v);
        }
        Trial second = study.Ask();
        second.Report(4.5, 1);
        Assert.True(second.ShouldPrune());              // maximise: needs ≥ 5
        foreach (double v in new[] { 0.1, 0.2 })
        {
            Trial t = study.Ask();
            t.Report(v, 1);
            t.ShouldPrune();
            study.Tell(t, v);
        }
        // Rung 0 now holds 1,2,3,4,5,4.5,0.1,0.2 (8 values) + the new one = 9 → idx 1 → needs ≥ second best (5 is best).
        Trial again = study.Ask();
        again.Report(4.8, 1);
        Assert.False(again.ShouldPrune());              // sorted desc: 5, 4.8, ... → 4.8 ≥ 4.8
    }

    [Fact]
    public void Auto_min_resource_is_one_percent_of_the_longest_completed_trial()
    {
        var pruner = new SuccessiveHalvingPruner();     // "auto", η 4
        Study study = NewStudy(pruner);
        Trial early = study.Ask();
        early.Report(1, 5);
        Assert.False(early.ShouldPrune());              // nothing completed: cannot size the rungs
        Assert.Null(pruner.MinResource);
        Completed(study, Enumerable.Repeat(1.0, 251).ToArray()); // last step 250
        Trial t = study.Ask();
        t.Report(7, 1);
        Assert.False(t.ShouldPrune());                  // min_resource = max(250/100, 1) = 2 > step 1
        Assert.Equal(2, pruner.MinResource);
        t.Report(7, 2);
        Assert.False(t.ShouldPrune());                  // rung 0 is empty apart from this trial → kept
        Trial nan = study.Ask();
        nan.Report(double.NaN, 2);
        Assert.True(nan.ShouldPrune());                 // NaN at a rung end is pruned
    }

    [Fact]
    public void Hyperband_brackets_follow_crc32_and_compete_separately()
    {
        // max 9, min 1, η 3 → floor(log3 9) + 1 = 3 brackets with budgets ceil(3·9/3)=9, ceil(3·3/2)=5, ceil(3·1/1)=3
        // (total 17). Bracket of trial n = first b with crc32("hb_n") % 17 < cumulative budget; Python's
        // binascii.crc32 gives residues 7, 0, 16, 16, 9 for n = 0..4 → brackets 0, 0, 2, 2, 1.
        var pruner = new HyperbandPruner(minResource: 1, maxResource: 9, reductionFactor: 3);
        Study study = NewStudy(pruner, name: "hb");
        Trial[] t = Enumerable.Range(0, 5).Select(_ => study.Ask()).ToArray();

        t[0].Report(1.0, 1);
        Assert.False(t[0].ShouldPrune());               // bracket 0 (rungs at 1, 3, 9): alone at rung 0
        Assert.Equal(3, pruner.NBrackets);
        Assert.Equal([0, 0, 2, 2, 1], Enumerable.Range(0, 5).Select(n => pruner.BracketOf("hb", n)));

        t[1].Report(2.0, 1);
        Assert.True(t[1].ShouldPrune());                // bracket 0 rung 0: [1, 2], idx max(2/3 − 1, 0) = 0 → needs ≤ 1

        t[2].Report(5.0, 1);
        Assert.False(t[2].ShouldPrune());               // bracket 2 starts at rung end 1·3² = 9
        t[3].Report(0.1, 9);
        Assert.False(t[3].ShouldPrune());               // bracket 2 rung 0: [0.1] → kept

        t[4].Report(100, 3);
        // Bracket 1 (first rung end 3): trials 0 and 1 hold rung-0 values but are in bracket 0 → [100] alone → kept.
        // Without brackets the rung would be [1, 2, 100] and 100 would be pruned.
        Assert.False(t[4].ShouldPrune());
    }

    [Fact]
    public void Hyperband_auto_max_resource_waits_for_a_completed_trial()
    {
        var pruner = new HyperbandPruner();
        Study study = NewStudy(pruner);
        Trial t = study.Ask();
        t.Report(50, 3);
        Assert.False(t.ShouldPrune());
        Assert.Null(pruner.NBrackets);
        Completed(study, Enumerable.Repeat(1.0, 27).ToArray()); // last step 26 → max_resource 27 → log3(27)+1 = 4 brackets
        Trial u = study.Ask();
        u.Report(1, 0);
        u.ShouldPrune();
        Assert.Equal(4, pruner.NBrackets);
    }
}
