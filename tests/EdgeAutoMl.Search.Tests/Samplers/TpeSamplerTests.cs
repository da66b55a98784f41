using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class TpeSamplerTests
{
    private static double Quadratic(Trial t)
    {
        double x = t.SuggestFloat("x", -10, 10);
        int y = t.SuggestInt("y", -10, 10);
        return (x - 2) * (x - 2) + (y + 3) * (y + 3);
    }

    private static List<object?> RunParams(ISampler sampler, int n)
    {
        var study = Study.Create(new InMemoryStorage(), "s", StudyDirection.Minimize, sampler);
        study.Optimize(t =>
        {
            double v = Quadratic(t);
            t.SuggestCategorical("act", new[] { "relu", "tanh", "gelu" });
            t.SuggestFloat("lr", 1e-5, 1e-1, log: true);
            t.SuggestInt("bits", 2, 8, log: true);
            return v;
        }, n);
        return study.Trials.SelectMany(t => t.Params.OrderBy(kv => kv.Key).Select(kv => kv.Value)).ToList();
    }

    [Fact]
    public void Same_seed_gives_the_same_trials()
    {
        Assert.Equal(RunParams(new TpeSampler(seed: 7), 30), RunParams(new TpeSampler(seed: 7), 30));
        Assert.NotEqual(RunParams(new TpeSampler(seed: 7), 30), RunParams(new TpeSampler(seed: 8), 30));
    }

    [Fact]
    public void Random_sampler_is_deterministic_under_a_seed()
    {
        Assert.Equal(RunParams(new RandomSampler(3), 15), RunParams(new RandomSampler(3), 15));
    }

    [Fact]
    public void Beats_random_search_on_a_quadratic()
    {
        double Best(ISampler sampler)
        {
            var study = Study.Create(new InMemoryStorage(), "q", StudyDirection.Minimize, sampler);
            study.Optimize(Quadratic, 60);
            return study.BestValue;
        }
        int[] seeds = [1, 2, 3, 4, 5];
        double tpe = Median(seeds.Select(s => Best(new TpeSampler(s))));
        double random = Median(seeds.Select(s => Best(new RandomSampler(s))));
        Assert.True(tpe < random, $"median best: TPE {tpe}, random {random}");
    }

    [Fact]
    public void Sampled_values_stay_inside_their_distributions()
    {
        var study = Study.Create(new InMemoryStorage(), "in", StudyDirection.Maximize, new TpeSampler(11, nStartupTrials: 3));
        study.Optimize(t =>
        {
            int w = t.SuggestInt("w", 2, 8, step: 2);
            double f = t.SuggestFloat("f", 0.5, 2.0, step: 0.25);
            double l = t.SuggestFloat("l", 1e-3, 1, log: true);
            Assert.Contains(w, new[] { 2, 4, 6, 8 });
            Assert.InRange(f, 0.5, 2.0);
            Assert.Equal(0, (f - 0.5) / 0.25 % 1, 6);
            Assert.InRange(l, 1e-3, 1);
            return w + f - l;
        }, 25);
        Assert.Equal(25, study.GetTrials(TrialState.Complete).Count);
    }

    [Fact]
    public void Multi_objective_tpe_is_deterministic_and_improves_the_front()
    {
        IReadOnlyList<FrozenTrial> Run(int seed)
        {
            var study = Study.Create(new InMemoryStorage(), "mo", [StudyDirection.Minimize, StudyDirection.Minimize], new TpeSampler(seed));
            study.Optimize(t =>
            {
                double x = t.SuggestFloat("x", 0, 1);
                double y = t.SuggestFloat("y", 0, 1);
                return [x + y, (1 - x) + y];
            }, 40);
            return study.Trials;
        }
        var a = Run(5);
        var b = Run(5);
        Assert.Equal(a.Select(t => t.Params["x"]), b.Select(t => t.Params["x"]));
        // Once TPE starts, y (which only hurts) should be pushed down compared to the random start-up phase.
        double startup = a.Take(10).Average(t => (double)t.Params["y"]!);
        double later = a.Skip(20).Average(t => (double)t.Params["y"]!);
        Assert.True(later < startup, $"mean y: startup {startup}, later {later}");
    }

    [Fact]
    public void Tpe_learns_to_avoid_the_infeasible_region()
    {
        // Feasible iff x <= 3; the objective alone prefers large x. Random sampling keeps 30% of trials feasible; TPE
        // crowds the boundary, so about half its late trials land just inside it (Optuna 3.1: 0.54 over seeds 0..19).
        // Averaged over seeds: one seed's 20 late trials vary by ±0.1.
        var fractions = new List<double>();
        for (int seed = 0; seed < 10; seed++)
        {
            var study = Study.Create(new InMemoryStorage(), "c", StudyDirection.Minimize, new TpeSampler(seed));
            study.Optimize(t =>
            {
                double x = t.SuggestFloat("x", 0, 10);
                t.SetConstraints(x - 3);
                return -x;
            }, 50);
            var late = study.Trials.Skip(30).ToList();
            fractions.Add(late.Count(t => t.IsFeasible) / (double)late.Count);
            Assert.InRange((double)study.BestTrial.Params["x"]!, 2.5, 3);
        }
        Assert.True(fractions.Average() >= 0.45, $"late feasible fractions {string.Join(", ", fractions)}");
    }

    private static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
    }
}
