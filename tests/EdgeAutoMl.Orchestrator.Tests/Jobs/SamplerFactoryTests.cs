using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Qmc;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Orchestrator.Tests.Jobs;

public class SamplerFactoryTests
{
    private static readonly string[] Layers = ["conv1", "fc"];

    // The search's shape: one bits param per layer.
    private static Study Run(ISampler sampler, int trials, int objectives = 1)
    {
        var study = Study.Create(new InMemoryStorage(), "s", Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray(), sampler);
        study.Optimize(t =>
        {
            int[] bits = Layers.Select(l => t.SuggestInt(SearchJob.BitsParam(l), 2, 8)).ToArray();
            double error = bits.Sum(b => Math.Pow(4, -b)), size = bits.Sum();
            return objectives == 1 ? [error + 0.01 * size] : [error, size];
        }, trials);
        return study;
    }

    [Fact]
    public void Nsga2_breeds_generations_with_its_options()
    {
        var sampler = Assert.IsType<Nsga2Sampler>(SamplerFactory.Create("nsga2:population_size=6", 1, constrained: false));
        Study study = Run(sampler, 20, objectives: 2);
        Assert.Equal(6, sampler.Options.PopulationSize);
        Assert.Contains(study.Trials, t => t.SystemAttrs[Nsga2Sampler.GenerationKey] is long g && g >= 2);
    }

    [Fact]
    public void Qmc_draws_sobol_points()
    {
        Study study = Run(Assert.IsType<QmcSampler>(SamplerFactory.Create("qmc", 1, constrained: false)), 8);
        // The first trial learns the space (random, as Optuna's QMCSampler); the Sobol points after it do not repeat a
        // bit-width pair within the first few.
        var sobol = study.Trials.Skip(1).Select(t => string.Join(",", t.Params.Values)).ToList();
        Assert.Equal(sobol.Count, sobol.Distinct().Count());
    }

    [Fact]
    public void Grid_covers_the_bit_width_space_exactly_once()
    {
        var grid = SamplerFactory.BitWidthGrid(Layers, 2, 4);
        Assert.Equal([2L, 3L, 4L], grid[SearchJob.BitsParam("fc")]);
        Study study = Run(Assert.IsType<GridSampler>(SamplerFactory.Create("grid", 1, constrained: false, grid)), 20);
        // 3 × 3 points, then the sampler stops the study.
        Assert.Equal(9, study.Trials.Count);
        Assert.Equal(9, study.Trials.Select(t => string.Join(",", t.Params.Values)).Distinct().Count());
    }

    [Fact]
    public void Tpe_options_and_errors_name_the_flag()
    {
        var tpe = Assert.IsType<TpeSampler>(SamplerFactory.Create("tpe:multivariate,constant_liar", 1, constrained: false));
        Assert.True(tpe.Options.Multivariate && tpe.Options.ConstantLiar);
        var e = Assert.Throws<ArgumentException>(() => SamplerFactory.Create("grid", 1, constrained: false));
        Assert.StartsWith("--sampler:", e.Message);
    }
}
