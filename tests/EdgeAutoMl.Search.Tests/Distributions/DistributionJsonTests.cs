using CsCheck;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Tests.Distributions;

public class DistributionJsonTests
{
    // These strings were written by optuna 3.1.0's distribution_to_json.
    [Theory]
    [InlineData("{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 1, \"low\": 2, \"high\": 8}}")]
    [InlineData("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.001, \"high\": 1.0, \"log\": true}}")]
    [InlineData("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": 0.25, \"low\": 0.0, \"high\": 1.0, \"log\": false}}")]
    [InlineData("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"x\", null, 1.5]}}")]
    [InlineData("{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [2, 4, 8, true]}}")]
    public void Optuna_json_round_trips_byte_for_byte(string json) =>
        Assert.Equal(json, DistributionJson.FromJson(json).ToJson());

    [Fact]
    public void Writes_what_optuna_writes()
    {
        Assert.Equal("{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, \"step\": 1, \"low\": 2, \"high\": 8}}",
            new IntDistribution(2, 8).ToJson());
        Assert.Equal("{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.0, \"high\": 1.0, \"log\": false}}",
            new FloatDistribution(0, 1).ToJson());
    }

    [Fact]
    public void Reads_pre_3_0_distribution_names()
    {
        Assert.Equal(new FloatDistribution(0.1, 1, log: true),
            DistributionJson.FromJson("{\"name\": \"LogUniformDistribution\", \"attributes\": {\"low\": 0.1, \"high\": 1.0}}"));
        Assert.Equal(new IntDistribution(1, 9, 2),
            DistributionJson.FromJson("{\"name\": \"IntUniformDistribution\", \"attributes\": {\"low\": 1, \"high\": 9, \"step\": 2}}"));
    }

    [Fact]
    public void Unknown_name_is_a_clear_error()
    {
        var e = Assert.Throws<FormatException>(() => DistributionJson.FromJson("{\"name\": \"Nope\", \"attributes\": {}}"));
        Assert.Contains("Nope", e.Message);
    }

    [Fact]
    public void Random_int_and_float_distributions_round_trip()
    {
        Gen.Select(Gen.Long[-1000, 1000], Gen.Long[0, 1000], Gen.Long[1, 7]).Sample((low, width, step) =>
        {
            var d = new IntDistribution(low, low + width, step);
            Assert.Equal(d, DistributionJson.FromJson(d.ToJson()));
        });
        Gen.Select(Gen.Double[-1e6, 1e6], Gen.Double[0, 1e6], Gen.Bool).Sample((low, width, log) =>
        {
            var d = log ? new FloatDistribution(Math.Abs(low) + 1e-9, Math.Abs(low) + 1e-9 + width, log: true) : new FloatDistribution(low, low + width);
            Assert.Equal(d, DistributionJson.FromJson(d.ToJson()));
        });
    }

    [Fact]
    public void Categorical_internal_representation_is_the_index()
    {
        var d = new CategoricalDistribution(new object?[] { "relu", null, 3, 2.5, false });
        Assert.Equal(2.0, d.ToInternal(3));
        Assert.Equal(2.0, d.ToInternal(3L));
        Assert.Equal(1.0, d.ToInternal(null));
        Assert.Equal("relu", d.ToExternal(0));
        Assert.Equal(3L, d.ToExternal(2));
        var e = Assert.Throws<ArgumentException>(() => d.ToInternal("tanh"));
        Assert.Contains("tanh", e.Message);
    }

    [Fact]
    public void High_is_snapped_onto_the_step_grid_and_bad_ranges_are_rejected()
    {
        Assert.Equal(7, new IntDistribution(1, 8, 2).High);
        Assert.Equal(0.9, new FloatDistribution(0, 1.0, 0.3).High, 12);
        Assert.Throws<ArgumentException>(() => new IntDistribution(5, 1));
        Assert.Throws<ArgumentException>(() => new IntDistribution(0, 8, log: true));
        Assert.Throws<ArgumentException>(() => new FloatDistribution(0, 1, 0.1, log: true));
        Assert.True(new IntDistribution(2, 8, 2).Contains(6));
        Assert.False(new IntDistribution(2, 8, 2).Contains(5));
    }
}
