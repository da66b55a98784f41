using CsCheck;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class TrialSplitterTests
{
    private static FrozenTrial T(int n, TrialState s, double[]? values, double[]? constraints = null, Dictionary<int, double>? iv = null) => new()
    {
        Number = n,
        State = s,
        Values = values,
        SystemAttrs = constraints is null ? new Dictionary<string, object?>() : new Dictionary<string, object?> { ["constraints"] = constraints.Cast<object?>().ToList() },
        IntermediateValues = iv ?? new Dictionary<int, double>(),
    };

    [Fact]
    public void Single_objective_takes_the_best_values_and_respects_direction()
    {
        var trials = new[] { T(0, TrialState.Complete, [5]), T(1, TrialState.Complete, [1]), T(2, TrialState.Complete, [3]) };
        var (below, above) = TrialSplitter.Split(trials, [StudyDirection.Minimize], 1, false);
        Assert.Equal([1], below.Select(t => t.Number));
        Assert.Equal([0, 2], above.Select(t => t.Number));
        (below, _) = TrialSplitter.Split(trials, [StudyDirection.Maximize], 1, false);
        Assert.Equal([0], below.Select(t => t.Number));
    }

    [Fact]
    public void Single_objective_good_group_is_the_head_of_a_stable_sort_by_loss_then_number()
    {
        // Few distinct values (many ties), pruned and running trials, trials in any order, any group size.
        Gen.Int[0, 60].SelectMany(n => Gen.Select(Gen.Int[0, 5].Array[n], Gen.Int[0, 9].Array[n], Gen.Int[0, n], Gen.Bool, Gen.Int))
            .Sample((values, kinds, nBelow, maximize, seed) =>
            {
                var trials = values.Select((v, i) => kinds[i] switch
                {
                    0 => T(i, TrialState.Pruned, null),
                    1 => T(i, TrialState.Running, null),
                    _ => T(i, TrialState.Complete, [v * 0.5]),
                }).OrderBy(_ => new Random(seed).Next()).ToArray();
                StudyDirection dir = maximize ? StudyDirection.Maximize : StudyDirection.Minimize;
                var ranked = trials.Where(t => t.State == TrialState.Complete)
                    .OrderBy(t => dir.ToLoss(t.Values![0])).ThenBy(t => t.Number)
                    .Concat(trials.Where(t => t.State == TrialState.Pruned).OrderBy(t => t.Number)).ToList();
                var expectedBelow = ranked.Take(nBelow).Select(t => t.Number).Order().ToList();
                var (below, above) = TrialSplitter.Split(trials, [dir], nBelow, false);
                Assert.Equal(expectedBelow, below.Select(t => t.Number));
                Assert.Equal(trials.Select(t => t.Number).Except(expectedBelow).Order(), above.Select(t => t.Number));
            });
    }

    [Fact]
    public void Infeasible_trials_go_above_feasible_and_pruned_ones()
    {
        var trials = new[]
        {
            T(0, TrialState.Complete, [0], [1.0]), // best value but infeasible
            T(1, TrialState.Complete, [9], [-1.0]),
            T(2, TrialState.Pruned, null, [0.0], new() { [3] = 2.0 }),
        };
        var (below, above) = TrialSplitter.Split(trials, [StudyDirection.Minimize], 2, true);
        Assert.Equal([1, 2], below.Select(t => t.Number));
        Assert.Equal([0], above.Select(t => t.Number));
    }

    [Fact]
    public void Multi_objective_split_uses_rank_then_hypervolume()
    {
        var trials = new[]
        {
            T(0, TrialState.Complete, [0.0, 10.0]),
            T(1, TrialState.Complete, [5.0, 5.0]),
            T(2, TrialState.Complete, [10.0, 0.0]),
            T(3, TrialState.Complete, [9.0, 9.0]), // dominated
        };
        var (below, above) = TrialSplitter.Split(trials, [StudyDirection.Minimize, StudyDirection.Minimize], 1, false);
        Assert.Equal([1], below.Select(t => t.Number)); // the knee point has the largest hypervolume contribution
        Assert.Contains(above, t => t.Number == 3);
    }
}
