using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class ParzenEstimatorTests
{
    private static readonly TpeOptions Options = new();

    [Fact]
    public void Continuous_density_integrates_to_one()
    {
        var d = new FloatDistribution(-1, 3);
        var pe = new ParzenEstimator(d, [0.0, 0.2, 2.5], [1, 1, 1], Options);
        const int n = 20000;
        double h = 4.0 / n, sum = 0;
        for (int i = 0; i < n; i++) sum += Math.Exp(pe.LogPdf(-1 + (i + 0.5) * h)) * h;
        Assert.Equal(1.0, sum, 3);
    }

    [Fact]
    public void Discrete_and_categorical_probabilities_sum_to_one()
    {
        var ints = new IntDistribution(2, 8, 2);
        var pe = new ParzenEstimator(ints, [2, 2, 6], [1, 1, 1], Options);
        Assert.Equal(1.0, new[] { 2.0, 4, 6, 8 }.Sum(v => Math.Exp(pe.LogPdf(v))), 9);

        var cat = new CategoricalDistribution(new object?[] { "a", "b", "c" });
        var pc = new ParzenEstimator(cat, [0, 0, 2], [1, 1, 1], Options);
        Assert.Equal(1.0, new[] { 0.0, 1, 2 }.Sum(v => Math.Exp(pc.LogPdf(v))), 9);
        Assert.True(pc.LogPdf(0) > pc.LogPdf(1));
    }

    [Fact]
    public void Samples_concentrate_near_observations_and_stay_in_range()
    {
        var d = new FloatDistribution(1e-4, 1, log: true);
        var pe = new ParzenEstimator(d, [1e-3, 1.1e-3, 0.9e-3, 1.2e-3], [1, 1, 1, 1], Options);
        double[] s = pe.Sample(new Random(1), 400);
        Assert.All(s, v => Assert.InRange(v, 1e-4, 1));
        Assert.True(s.Count(v => v < 1e-2) > 200);
    }

    [Fact]
    public void Weights_and_gamma_follow_optuna_defaults()
    {
        Assert.Equal(1, TpeWeights.DefaultGamma(1));
        Assert.Equal(10, TpeWeights.DefaultGamma(100));
        Assert.Equal(25, TpeWeights.DefaultGamma(1000));
        Assert.All(TpeWeights.DefaultWeights(24), w => Assert.Equal(1.0, w));
        double[] w30 = TpeWeights.DefaultWeights(30);
        Assert.Equal(1.0 / 30, w30[0], 12);
        Assert.Equal(1.0, w30[4], 12);
        Assert.True(w30[1] > w30[0]);
    }
}
