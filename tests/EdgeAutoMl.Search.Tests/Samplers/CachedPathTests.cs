using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>The per-trial caches of the samplers are pure speed-ups: with them off, every suggestion is the same.</summary>
public class CachedPathTests
{
    private static List<object?> Run(ISampler sampler, StudyDirection[] directions, int trials)
    {
        var study = Study.Create(new InMemoryStorage(), "c", directions, sampler);
        study.Optimize(t =>
        {
            double x = t.SuggestFloat("x", -5, 5);
            int n = t.SuggestInt("n", 1, 64, log: true);
            string act = t.SuggestCategorical("act", new[] { "relu", "tanh", "gelu" });
            double lr = t.SuggestFloat("lr", 0, 1, step: 0.05);
            t.SetConstraints(x - 4); // a few infeasible trials exercise the constrained split
            double penalty = act == "tanh" ? 0.5 : 0;
            double[] all = [x * x + penalty + lr, (x - 2) * (x - 2) + Math.Log(n), Math.Abs(x + 1) + lr * n / 64.0];
            return all.Take(directions.Length).ToArray();
        }, trials);
        return study.Trials.SelectMany(t => t.Params.OrderBy(kv => kv.Key).Select(kv => kv.Value)).ToList();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Tpe_split_cache_changes_no_suggestion(int objectives)
    {
        StudyDirection[] directions = Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray();
        var cached = Run(new TpeSampler(11), directions, 70);
        var uncached = Run(new TpeSampler(11) { CacheSplit = false }, directions, 70);
        Assert.Equal(uncached, cached);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Nsga2_generation_index_changes_no_suggestion(int objectives)
    {
        StudyDirection[] directions = Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray();
        var options = new Nsga2Options { PopulationSize = 8 };
        var cached = Run(new Nsga2Sampler(5, options), directions, 60);
        var uncached = Run(new Nsga2Sampler(5, options) { CacheGenerations = false }, directions, 60);
        Assert.Equal(uncached, cached);
    }
}
