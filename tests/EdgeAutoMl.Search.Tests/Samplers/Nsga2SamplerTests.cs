using EdgeAutoMl.Search.MultiObjective;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class Nsga2SamplerTests
{
    private static double[] Zdt1(Trial t)
    {
        double[] x = Enumerable.Range(0, 5).Select(i => t.SuggestFloat($"x{i}", 0, 1)).ToArray();
        double g = 1 + 9 * x.Skip(1).Average();
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    private static Study Run(ISampler sampler, int n)
    {
        Study study = Study.Create(new InMemoryStorage(), "z", [StudyDirection.Minimize, StudyDirection.Minimize], sampler);
        study.Optimize(Zdt1, n);
        return study;
    }

    private static double Hv(Study s) =>
        Hypervolume.Compute(s.BestTrials.Select(t => t.Values!), [1.1, 11]);

    [Fact]
    public void Defaults_are_optunas()
    {
        var o = new Nsga2Options();
        Assert.Equal((50, (double?)null, 0.9, 0.5), (o.PopulationSize, o.MutationProb, o.CrossoverProb, o.SwappingProb));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nsga2Sampler(0, new Nsga2Options { PopulationSize = 1 }));
    }

    [Fact]
    public void Trials_are_grouped_in_generations_and_the_run_is_seeded()
    {
        Study a = Run(new Nsga2Sampler(4, new Nsga2Options { PopulationSize = 10 }), 35);
        // 10 COMPLETE trials make a generation; each trial records the generation it was bred for.
        Assert.Equal(Enumerable.Repeat(0L, 10).Concat(Enumerable.Repeat(1L, 10)).Concat(Enumerable.Repeat(2L, 10)).Concat(Enumerable.Repeat(3L, 5)),
            a.Trials.Select(t => (long)t.SystemAttrs[Nsga2Sampler.GenerationKey]!));
        Study b = Run(new Nsga2Sampler(4, new Nsga2Options { PopulationSize = 10 }), 35);
        Assert.Equal(a.Trials.Select(t => t.Values), b.Trials.Select(t => t.Values));
        Study c = Run(new Nsga2Sampler(5, new Nsga2Options { PopulationSize = 10 }), 35);
        Assert.NotEqual(a.Trials.Select(t => t.Values![0]), c.Trials.Select(t => t.Values![0]));
    }

    [Fact]
    public void Without_mutation_children_inherit_every_param_from_the_parents()
    {
        Study s = Run(new Nsga2Sampler(1, new Nsga2Options { PopulationSize = 8, MutationProb = 0, CrossoverProb = 1 }), 16);
        var gen0 = s.Trials.Take(8).ToList();
        foreach (FrozenTrial child in s.Trials.Skip(8))
            foreach (var (name, v) in child.InternalParams)
                Assert.Contains(gen0, p => p.InternalParams[name] == v);
    }

    [Fact]
    public void It_beats_random_search_on_zdt1()
    {
        // Seeded, so deterministic; the margin is large (NSGA-II converges towards the front, random does not).
        double nsga = Hv(Run(new Nsga2Sampler(0), 400));
        double random = Hv(Run(new RandomSampler(0), 400));
        Assert.True(nsga > random, $"NSGA-II HV {nsga} vs random {random}");
    }

    [Fact]
    public void Crowding_distance_prefers_boundary_and_isolated_points()
    {
        // Front (minimise both): (0,4) (1,3) (1.2,2.8) (3,1) (4,0). Boundaries get ∞; for the rest the sum of normalised
        // neighbour gaps: (1,3): (1.2−0)/4 + (4−2.8)/4 = 0.6; (1.2,2.8): (3−1)/4 + (3−1)/4 = 1.0; (3,1): (4−1.2)/4 + (2.8−0)/4 = 1.4.
        FrozenTrial T(int n, double a, double b) => new() { Number = n, TrialId = n, State = TrialState.Complete, Values = [a, b] };
        var front = new List<FrozenTrial> { T(0, 1, 3), T(1, 4, 0), T(2, 1.2, 2.8), T(3, 0, 4), T(4, 3, 1) };
        var order = EliteSelection.ByCrowdingDistance(front).Select(t => t.Number).ToList();
        Assert.Equal([1, 3], order.Take(2).Order());
        Assert.Equal([4, 2, 0], order.Skip(2));
    }

    [Fact]
    public void Constraint_domination_puts_feasible_first_then_smaller_violation()
    {
        StudyDirection[] dirs = [StudyDirection.Minimize, StudyDirection.Minimize];
        FrozenTrial T(double a, double c) => new()
        {
            State = TrialState.Complete, Values = [a, a],
            SystemAttrs = new Dictionary<string, object?> { [Constraints.SystemAttrKey] = new List<object?> { c } },
        };
        FrozenTrial feasibleBad = T(10, -1), infeasibleGood = T(0, 2), lessInfeasible = T(5, 1);
        Assert.True(EliteSelection.Dominates(feasibleBad, infeasibleGood, dirs, constrained: true));
        Assert.False(EliteSelection.Dominates(infeasibleGood, feasibleBad, dirs, constrained: true));
        Assert.True(EliteSelection.Dominates(lessInfeasible, infeasibleGood, dirs, constrained: true));
        Assert.True(EliteSelection.Dominates(infeasibleGood, feasibleBad, dirs, constrained: false));
        var ranks = EliteSelection.SortByRank([infeasibleGood, lessInfeasible, feasibleBad], dirs, constrained: true);
        Assert.Equal([[feasibleBad], [lessInfeasible], [infeasibleGood]], ranks);
    }
}
