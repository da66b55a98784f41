using CsCheck;
using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Search.Tests.MultiObjective;

public class HypervolumeTests
{
    // Volume of the union of boxes [p, ref] by inclusion–exclusion over all non-empty subsets (exact, exponential).
    private static double InclusionExclusion(IReadOnlyList<double[]> pts, double[] reference)
    {
        int n = pts.Count, d = reference.Length;
        double total = 0;
        for (int mask = 1; mask < 1 << n; mask++)
        {
            double vol = 1;
            for (int k = 0; k < d; k++)
            {
                double corner = double.NegativeInfinity;
                for (int i = 0; i < n; i++)
                    if ((mask & (1 << i)) != 0) corner = Math.Max(corner, pts[i][k]);
                vol *= Math.Max(0, reference[k] - corner);
            }
            total += (System.Numerics.BitOperations.PopCount((uint)mask) % 2 == 1 ? 1 : -1) * vol;
        }
        return total;
    }

    private static Gen<(double[][] Points, double[] Reference)> Fronts(int dims) =>
        Gen.Int[1, 7].SelectMany(n =>
            // Small integer grid coordinates make duplicates and ties (the hard cases) common.
            Gen.Int[0, 5].Select(x => (double)x).Array[dims].Array[n]
                .Select(pts => (pts, Enumerable.Repeat(6.0, dims).ToArray())));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Equals_inclusion_exclusion_on_random_sets(int dims)
    {
        Fronts(dims).Sample(t =>
        {
            double expected = InclusionExclusion(t.Points, t.Reference);
            double actual = Hypervolume.Compute(t.Points, t.Reference);
            Assert.Equal(expected, actual, 9);
        }, iter: 300);
    }

    // Brute force that scales to bigger fronts than inclusion–exclusion: with integer coordinates in [0, 6) and the
    // reference at 6, the dominated region is a union of unit cells; cell c is in it iff some point p ≤ c.
    private static double CountCells(double[][] pts, int dims)
    {
        int count = 0;
        var c = new int[dims];
        for (int cell = 0; cell < (int)Math.Pow(6, dims); cell++)
        {
            for (int k = 0, rest = cell; k < dims; k++, rest /= 6) c[k] = rest % 6;
            if (pts.Any(p => Enumerable.Range(0, dims).All(k => p[k] <= c[k]))) count++;
        }
        return count;
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Equals_cell_counting_on_larger_random_fronts(int dims)
    {
        Gen.Int[8, 40].SelectMany(n => Gen.Int[0, 5].Select(x => (double)x).Array[dims].Array[n]).Sample(pts =>
        {
            double[] reference = Enumerable.Repeat(6.0, dims).ToArray();
            Assert.Equal(CountCells(pts, dims), Hypervolume.Compute(pts, reference), 9);
        }, iter: 100);
    }

    [Fact]
    public void Known_values()
    {
        Assert.Equal(1.0, Hypervolume.Compute([[0.0, 0.0]], [1.0, 1.0]));
        // Two boxes 2x1 and 1x2 overlapping in a unit square: 2 + 2 - 1.
        Assert.Equal(3.0, Hypervolume.Compute([[0.0, 1.0], [1.0, 0.0]], [2.0, 2.0]));
        // Three 2x1x1 slabs: 6 - 3 pairwise unit cubes + 1 triple = 4.
        Assert.Equal(4.0, Hypervolume.Compute([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [1.0, 1.0, 0.0]], [2.0, 2.0, 2.0]), 9);
        // Points outside the reference add nothing.
        Assert.Equal(0.0, Hypervolume.Compute([[3.0, 0.0]], [2.0, 2.0]));
    }

    [Fact]
    public void Contributions_are_zero_for_dominated_points_and_sum_to_at_most_the_total()
    {
        double[][] pts = [[0, 2], [1, 1], [2, 0], [2, 2]];
        double[] c = Hypervolume.Contributions(pts, [3.0, 3.0]);
        Assert.Equal(0.0, c[3]);
        Assert.All(c.Take(3), v => Assert.Equal(1.0, v, 9));
    }

    [Fact]
    public void Greedy_subset_selection_picks_the_largest_box_first()
    {
        double[][] pts = [[0.0, 9.0], [5.0, 5.0], [9.0, 0.0]];
        var chosen = HypervolumeSubsetSelection.SelectGreedy(pts, 1, [10.0, 10.0]);
        Assert.Equal([1], chosen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Contributions_equal_the_drop_when_each_point_is_removed(int dims)
    {
        // Grid coordinates give duplicates, ties and dominated points reaching into a front point's exclusive region;
        // coordinate 6 on a reference of 6 puts some points outside it.
        Gen.Int[1, 8].SelectMany(n => Gen.Int[0, 6].Select(x => (double)x).Array[dims].Array[n]).Sample(pts =>
        {
            double[] reference = Enumerable.Repeat(6.0, dims).ToArray();
            double total = Hypervolume.Compute(pts, reference);
            double[] c = Hypervolume.Contributions(pts, reference);
            for (int i = 0; i < pts.Length; i++)
            {
                double expected = Math.Max(0, total - Hypervolume.Compute(pts.Where((_, j) => j != i), reference));
                Assert.Equal(expected, c[i], 9);
            }
        }, iter: 300);
    }

    [Fact]
    public void Greedy_subset_selection_matches_the_naive_greedy()
    {
        // Integer coordinates keep every hypervolume exact, so ties (zero gains) break alike in both.
        Gen.Int[2, 9].SelectMany(n => Gen.Int[0, 5].Select(x => (double)x).Array[3].Array[n]).Sample(pts =>
        {
            double[] reference = [6.0, 6.0, 6.0];
            int k = pts.Length / 2;
            var chosen = HypervolumeSubsetSelection.SelectGreedy(pts, k, reference);
            var naive = new List<int>();
            for (int step = 0; step < k; step++)
            {
                double baseHv = Hypervolume.Compute(naive.Select(j => pts[j]), reference);
                int best = Enumerable.Range(0, pts.Length).Where(i => !naive.Contains(i))
                    .MaxBy(i => Hypervolume.Compute(naive.Append(i).Select(j => pts[j]), reference) - baseHv);
                naive.Add(best);
            }
            Assert.Equal(naive, chosen);
        }, iter: 200);
    }
}
