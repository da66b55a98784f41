using CsCheck;
using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Search.Tests.MultiObjective;

public class ParetoTests
{
    private static readonly Gen<double[][]> Points =
        Gen.Int[1, 4].SelectMany(d => Gen.Int[0, 4].Select(x => (double)x).Array[d].Array[1, 25]);

    [Fact]
    public void Ranks_satisfy_the_definition_of_non_dominated_sorting()
    {
        Points.Sample(pts =>
        {
            int[] ranks = Pareto.NonDominatedRanks(pts);
            for (int i = 0; i < pts.Length; i++)
            {
                // Nobody of the same or a later rank dominates i ...
                for (int j = 0; j < pts.Length; j++)
                    if (ranks[j] >= ranks[i]) Assert.False(Pareto.Dominates(pts[j], pts[i]));
                // ... and a point of rank r > 0 is dominated by someone of rank r - 1.
                if (ranks[i] > 0)
                    Assert.Contains(Enumerable.Range(0, pts.Length), j => ranks[j] == ranks[i] - 1 && Pareto.Dominates(pts[j], pts[i]));
            }
            Assert.Equal(Enumerable.Range(0, pts.Length).Where(i => ranks[i] == 0), Pareto.FrontIndices(pts));
        });
    }

    [Fact]
    public void Feasible_points_rank_before_infeasible_ones_and_violation_orders_the_infeasible()
    {
        double[][] pts = [[5, 5], [0, 0], [1, 1], [9, 9]];
        double[] violations = [0, 2, 1, 0];
        int[] ranks = Pareto.NonDominatedRanks(pts, violations);
        Assert.Equal([0, 3, 2, 1], ranks);
        Assert.True(Pareto.ConstrainedDominates(pts[3], 0, pts[1], 2));
        Assert.False(Pareto.ConstrainedDominates(pts[1], 2, pts[3], 0));
        Assert.True(Pareto.ConstrainedDominates(pts[2], 1, pts[1], 2));
    }

    [Fact]
    public void Directions_are_respected()
    {
        var losses = Pareto.ToLosses([0.9, 10.0], [StudyDirection.Maximize, StudyDirection.Minimize]);
        Assert.Equal([-0.9, 10.0], losses);
    }
}
