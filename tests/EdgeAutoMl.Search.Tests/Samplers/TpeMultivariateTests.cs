using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>Multivariate TPE and constant liar, as Optuna's TPESampler(multivariate=True, constant_liar=True).</summary>
public class TpeMultivariateTests
{
    // A narrow diagonal valley: x and y only pay off together, which a joint estimator can learn and independent
    // ones cannot.
    private static double Valley(Trial t)
    {
        double x = t.SuggestFloat("x", -5, 5), y = t.SuggestFloat("y", -5, 5);
        return (x - y) * (x - y) * 20 + 0.05 * (x + y - 4) * (x + y - 4);
    }

    private static double Best(TpeOptions options, int seed, int trials)
    {
        var study = Study.Create(new InMemoryStorage(), "v", StudyDirection.Minimize, new TpeSampler(seed, options));
        study.Optimize(Valley, trials);
        return study.BestValue;
    }

    [Fact]
    public void Samples_the_intersection_space_jointly_and_the_rest_independently()
    {
        var sampler = new TpeSampler(3, new TpeOptions { Multivariate = true });
        var study = Study.Create(new InMemoryStorage(), "m", StudyDirection.Minimize, sampler);
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", 0, 1);
            string kind = t.SuggestCategorical("kind", new[] { "a", "b" });
            // Conditional: only some trials have z, so z is outside the intersection and sampled independently.
            double z = kind == "a" ? t.SuggestFloat("z", 0, 1) : 0.5;
            return (x - 0.3) * (x - 0.3) + (kind == "a" ? 0 : 0.1) + (z - 0.7) * (z - 0.7);
        }, 40);
        Trial next = study.Ask();
        var space = sampler.InferRelativeSearchSpace(study, next.Snapshot());
        Assert.Equal(["kind", "x"], space.Keys.Order());
        var relative = sampler.SampleRelative(study, next.Snapshot(), space);
        Assert.Equal(["kind", "x"], relative.Keys.Order());
        Assert.InRange(relative["x"], 0, 1);
        Assert.Contains(relative["kind"], new[] { 0.0, 1.0 });
        Assert.True(study.BestValue < 0.05, $"best {study.BestValue}");
    }

    [Fact]
    public void Is_deterministic_under_a_seed()
    {
        var options = new TpeOptions { Multivariate = true };
        Assert.Equal(Best(options, 5, 40), Best(options, 5, 40));
    }

    [Fact]
    public void Learns_a_correlated_valley_better_than_independent_tpe()
    {
        // Median over seeds, so one lucky run does not decide.
        double Median(TpeOptions o) => Enumerable.Range(0, 7).Select(s => Best(o, s, 80)).Order().ElementAt(3);
        double joint = Median(new TpeOptions { Multivariate = true });
        double independent = Median(new TpeOptions());
        Assert.True(joint < independent, $"multivariate {joint} vs independent {independent}");
    }

    [Fact]
    public void Constant_liar_spreads_the_points_of_parallel_workers()
    {
        // Eight workers ask before any of them tells: without the liar they all draw from the same model and crowd the
        // good region; with it each running trial counts as a bad one for the next ask.
        double Spread(bool liar)
        {
            var spreads = new List<double>();
            for (int seed = 0; seed < 6; seed++)
            {
                var study = Study.Create(new InMemoryStorage(), "p", StudyDirection.Minimize,
                    new TpeSampler(seed, new TpeOptions { ConstantLiar = liar }));
                study.Optimize(t => Math.Pow(t.SuggestFloat("x", -10, 10) - 1, 2), 30);
                var xs = new List<double>();
                for (int w = 0; w < 8; w++) xs.Add(study.Ask().SuggestFloat("x", -10, 10));
                double mean = xs.Average();
                spreads.Add(Math.Sqrt(xs.Average(x => (x - mean) * (x - mean))));
            }
            return spreads.Average();
        }
        double with = Spread(true), without = Spread(false);
        Assert.True(with > without, $"spread with liar {with}, without {without}");
    }

    [Fact]
    public void Constant_liar_puts_running_trials_above_and_keeps_gamma_on_finished_ones()
    {
        var sampler = new TpeSampler(1, new TpeOptions { ConstantLiar = true, NStartupTrials = 0 });
        var study = Study.Create(new InMemoryStorage(), "r", StudyDirection.Minimize, sampler);
        study.Optimize(t => t.SuggestFloat("x", 0, 1), 10);
        Trial running = study.Ask();
        double x = running.SuggestFloat("x", 0, 1);
        // The running trial is in the snapshot the next ask sees; the split puts it above, never below.
        var snapshot = study.GetTrials([TrialState.Complete, TrialState.Pruned, TrialState.Running], useCache: false);
        var (below, above) = TrialSplitter.Split(snapshot, study.Directions, TpeWeights.DefaultGamma(10), false);
        Assert.DoesNotContain(below, t => t.Number == running.Number);
        Assert.Contains(above, t => t.Number == running.Number);
        Assert.InRange(x, 0, 1);
    }
}
