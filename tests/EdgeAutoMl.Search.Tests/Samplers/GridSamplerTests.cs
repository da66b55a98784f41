using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

public class GridSamplerTests
{
    private static GridSampler Grid(int seed) => new(new Dictionary<string, object?[]>
    {
        ["bits"] = [2, 4, 8],
        ["act"] = ["int8", "int16"],
    }, seed);

    [Fact]
    public void Visits_every_point_once_then_stops_the_study()
    {
        Study study = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, Grid(3));
        study.Optimize(t => t.SuggestInt("bits", 2, 8) + (t.SuggestCategorical("act", new[] { "int8", "int16" }) == "int8" ? 0 : 100), 100);
        var trials = study.Trials;
        Assert.Equal(6, trials.Count); // 3 × 2 points, then Stop()
        var seen = trials.Select(t => ((long)t.Params["bits"]!, (string)t.Params["act"]!)).ToHashSet();
        Assert.Equal(6, seen.Count);
        Assert.Equal(Enumerable.Range(0, 6).ToHashSet(), trials.Select(t => (int)(long)t.SystemAttrs[GridSampler.GridIdKey]!).ToHashSet());
    }

    [Fact]
    public void Grid_points_are_ordered_by_param_name_and_the_order_is_seeded()
    {
        GridSampler g = Grid(0);
        Assert.Equal(6, g.GridCount);
        // Params sorted: act, bits; the last varies fastest → point 1 = (act[0], bits[1]), point 3 = (act[1], bits[0]).
        Assert.Equal("int8", g.GridPoint(1)["act"]);
        Assert.Equal(4, g.GridPoint(1)["bits"]);
        Assert.Equal("int16", g.GridPoint(3)["act"]);
        Assert.Equal(2, g.GridPoint(3)["bits"]);

        List<int> Order(int seed)
        {
            Study s = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, Grid(seed));
            s.Optimize(t => t.SuggestInt("bits", 2, 8), 6);
            return s.Trials.Select(t => (int)(long)t.SystemAttrs[GridSampler.GridIdKey]!).ToList();
        }
        Assert.Equal(Order(5), Order(5));
        Assert.Throws<ArgumentException>(() => new GridSampler(new Dictionary<string, object?[]> { ["x"] = [] }));
    }

    [Fact]
    public void A_param_outside_the_grid_is_an_error()
    {
        Study study = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, Grid(1));
        Trial t = study.Ask();
        Assert.Throws<ArgumentException>(() => t.SuggestFloat("lr", 0, 1));
    }
}
