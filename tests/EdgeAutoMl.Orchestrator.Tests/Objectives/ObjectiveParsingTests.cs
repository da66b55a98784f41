using EdgeAutoMl.Orchestrator.Objectives;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Tests.Objectives;

public class ObjectiveParsingTests
{
    [Fact]
    public void Defaults_are_accuracy_max_then_energy_latency_flash_min()
    {
        var d = Objective.Defaults;
        Assert.Equal(["accuracy", "energy_uj", "latency_ms", "flash_bytes"], d.Select(o => o.Metric));
        Assert.Equal([StudyDirection.Maximize, StudyDirection.Minimize, StudyDirection.Minimize, StudyDirection.Minimize], d.Select(o => o.Direction));
    }

    [Fact]
    public void Direction_defaults_by_metric_and_aliases_resolve()
    {
        var l = Objective.ParseList("acc, flash, ram:max");
        Assert.Equal(StudyDirection.Maximize, l[0].Direction);
        Assert.Equal("flash_bytes", l[1].Metric);
        Assert.Equal(StudyDirection.Minimize, l[1].Direction);
        Assert.Equal(StudyDirection.Maximize, l[2].Direction);
    }

    [Theory]
    [InlineData("speed:max", "unknown metric 'speed'")]
    [InlineData("accuracy:up", "direction must be max or min")]
    [InlineData("accuracy,acc", "given twice")]
    [InlineData("", "at least one objective")]
    public void Bad_objectives_say_what_is_wrong(string text, string fragment)
    {
        var e = Assert.Throws<ArgumentException>(() => Objective.ParseList(text));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void Constraint_values_follow_optuna_sign_convention()
    {
        var acc = Constraint.Parse("accuracy>=0.95");
        Assert.True(acc.Value(0.97) <= 0);
        Assert.Equal(0.05, acc.Value(0.90), 9);
        var flash = Constraint.Parse(" flash <= 2000 ");
        Assert.Equal("flash_bytes", flash.Metric);
        Assert.True(flash.Value(1999) <= 0);
        Assert.Equal(1, flash.Value(2001), 9);
    }

    [Theory]
    [InlineData("accuracy>0.9")]
    [InlineData("accuracy>=high")]
    [InlineData("power<=3")]
    public void Bad_constraints_are_rejected(string text) =>
        Assert.Throws<ArgumentException>(() => Constraint.Parse(text));
}
