using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Qmc;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class SamplerSpecTests
{
    [Fact]
    public void Options_reach_the_sampler_with_optunas_names()
    {
        var tpe = Assert.IsType<TpeSampler>(SamplerSpec.Create("tpe:multivariate,constant_liar=true,n_startup_trials=20,n_ei_candidates=48", 1));
        Assert.True(tpe.Options.Multivariate);
        Assert.True(tpe.Options.ConstantLiar);
        Assert.Equal(20, tpe.Options.NStartupTrials);
        Assert.Equal(48, tpe.Options.NEiCandidates);
        Assert.False(Assert.IsType<TpeSampler>(SamplerSpec.Create("MOTPE", 1)).Options.Multivariate);
        Assert.False(tpe.Options.Group);
        Assert.True(Assert.IsType<TpeSampler>(SamplerSpec.Create("tpe:multivariate,group", 1)).Options.Group);

        var nsga = Assert.IsType<Nsga2Sampler>(SamplerSpec.Create("nsga2:population_size=20,mutation_prob=0.25", 1));
        Assert.Equal(20, nsga.Options.PopulationSize);
        Assert.Equal(0.25, nsga.Options.MutationProb);
        Assert.True(Assert.IsType<QmcSampler>(SamplerSpec.Create("qmc:scramble", 1)).Scramble);
        Assert.IsType<RandomSampler>(SamplerSpec.Create("random", 1));
    }

    [Theory]
    [InlineData("cmaes", "unknown sampler 'cmaes'")]
    [InlineData("tpe:multivariat", "unknown option 'multivariat' for tpe")]
    [InlineData("tpe:n_startup_trials=ten", "n_startup_trials takes an integer, got 'ten'")]
    [InlineData("tpe:multivariate=maybe", "multivariate takes true or false")]
    [InlineData("random:seed=3", "random takes no options")]
    [InlineData("tpe:group", "Sampler 'tpe:group': option group needs multivariate")]
    [InlineData("tpe:group,multivariate=false", "option group needs multivariate")]
    [InlineData("grid", "grid needs the grid")]
    public void Bad_specs_say_what_is_wrong(string spec, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => SamplerSpec.Create(spec, 0));
        Assert.Contains(message, e.Message);
    }
}
