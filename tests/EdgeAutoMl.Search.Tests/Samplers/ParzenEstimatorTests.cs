using CsCheck;
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
        var pe = new ParzenEstimator(d, [0.0, 0.2, 2.5], [1, 1, 1], Options with { NormalizedKernels = true });
        Assert.Equal(1.0, Integral(pe, -1, 3), 3);
    }

    [Fact]
    public void Default_kernels_weigh_each_kernel_by_its_width()
    {
        // Optuna <= 3.4's density (optuna#5109): each kernel integrates to its weight times its width.
        var d = new FloatDistribution(-1, 3);
        var pe = new ParzenEstimator(d, [0.0, 0.2, 2.5], [1, 1, 1], Options);
        double[] w = [0.25, 0.25, 0.25, 0.25]; // three observations and the prior, prior_weight 1
        double expected = Enumerable.Range(0, 4).Sum(k => w[k] * pe.Sigmas[k]);
        Assert.Equal(expected, Integral(pe, -1, 3), 3);
    }

    private static double Integral(ParzenEstimator pe, double low, double high)
    {
        const int n = 20000;
        double h = (high - low) / n, sum = 0;
        for (int i = 0; i < n; i++) sum += Math.Exp(pe.LogPdf(low + (i + 0.5) * h)) * h;
        return sum;
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

    [Fact]
    public void Mass_shortcut_is_bit_for_bit_the_full_mass()
    {
        var rng = new Random(3);
        for (int i = 0; i < 20000; i++)
        {
            // Intervals containing the mean (every TPE kernel's range), and arbitrary ones.
            double a = -Math.Pow(10, rng.NextDouble() * 4 - 2), b = Math.Pow(10, rng.NextDouble() * 4 - 2);
            Assert.Equal(TruncatedNormal.Mass(a, b), TruncatedNormal.MassAround(a, b));
            double c = rng.NextDouble() * 40 - 20, e = c + rng.NextDouble() * 10;
            Assert.Equal(TruncatedNormal.Mass(c, e), TruncatedNormal.MassAround(c, e));
        }
    }

    [Fact]
    public void Sorted_order_is_a_stable_argsort()
    {
        var rng = new Random(5);
        double[] values = Enumerable.Range(0, 500).Select(_ => (double)rng.Next(40)).ToArray();
        int[] expected = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        Assert.Equal(expected, ParzenEstimator.SortedOrder(values));
    }

    [Fact]
    public void Vectorised_terms_equal_the_scalar_formula()
    {
        var rng = new Random(7);
        int n = 37;
        double[] mus = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        double[] sigmas = Enumerable.Range(0, n).Select(_ => 0.01 + rng.NextDouble()).ToArray();
        double[] constants = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 3).ToArray();
        var terms = new double[n];
        ParzenEstimator.ContinuousTerms(0.3, mus, sigmas, constants, terms);
        for (int k = 0; k < n; k++)
        {
            double z = (0.3 - mus[k]) / sigmas[k];
            Assert.Equal(constants[k] - 0.5 * z * z, terms[k]);
        }
    }

    [Fact]
    public void Vectorised_terms_return_the_largest_term()
    {
        // Lengths around the vector width, some kernels with zero weight (constant −∞).
        Gen.Int[0, 23].SelectMany(n => Gen.Select(Gen.Double[-3, 3].Array[n], Gen.Double[-60, 0].Array[n], Gen.Int[0, 3].Array[n]))
            .Sample((mus, constants, kinds) =>
            {
                double[] c = constants.Select((v, i) => kinds[i] == 0 ? double.NegativeInfinity : v).ToArray();
                double[] sigmas = mus.Select(m => 0.05 + Math.Abs(m) / 3).ToArray();
                var terms = new double[mus.Length];
                double max = ParzenEstimator.ContinuousTerms(0.7, mus, sigmas, c, terms);
                double expected = double.NegativeInfinity;
                foreach (double t in terms) if (t > expected) expected = t;
                Assert.Equal(expected, max);
            });
    }

    [Fact]
    public void Log_sum_exp_with_a_known_max_is_bit_for_bit_the_two_pass_one()
    {
        // Terms spread over more than the cutoff, so some are left out; −∞ and NaN terms as the scalar scan sees them.
        Gen.Int[0, 40].SelectMany(n => Gen.Select(Gen.Double[-120, 5].Array[n], Gen.Int[0, 9].Array[n])).Sample((xs, kinds) =>
        {
            double[] terms = xs.Select((v, i) => kinds[i] switch { 0 => double.NegativeInfinity, 1 => double.NaN, _ => v }).ToArray();
            double max = double.NegativeInfinity;
            foreach (double t in terms) if (t > max) max = t;
            double expected = TruncatedNormal.LogSumExp(terms, 50);
            double actual = TruncatedNormal.LogSumExpBelowMax(terms, max, 50);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        });
    }

    [Fact]
    public void Log_density_with_a_scratch_equals_the_allocating_one()
    {
        // 300 kernels: past the size where the allocating overload stops using the stack.
        var rng = new Random(3);
        double[] obs = Enumerable.Range(0, 299).Select(_ => rng.NextDouble() * 4 - 2).ToArray();
        var pe = new ParzenEstimator(new FloatDistribution(-2, 2), obs, TpeWeights.DefaultWeights(obs.Length), Options);
        var scratch = new double[pe.KernelCount + 5];
        for (double x = -2; x <= 2; x += 0.01) Assert.Equal(pe.LogPdf(x), pe.LogPdf(x, scratch));
        Assert.Throws<ArgumentException>(() => pe.LogPdf(0.0, new double[pe.KernelCount - 1]));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Widths_are_the_larger_gap_to_sorted_neighbours_clipped(bool endpoints, bool magicClip)
    {
        // Optuna's rule written out with the bounds as extra neighbours, for 0..40 observations (ties included).
        var options = new TpeOptions { ConsiderEndpoints = endpoints, ConsiderMagicClip = magicClip };
        var d = new FloatDistribution(-1, 3);
        Gen.Int[0, 40].SelectMany(n => Gen.Int[0, 16].Select(v => v / 4.0 - 1).Array[n]).Sample(obs =>
        {
            var pe = new ParzenEstimator(d, obs, Enumerable.Repeat(1.0, obs.Length).ToArray(), options);
            double[] mus = [.. obs, 1.0]; // the prior sits mid-range
            int m = mus.Length;
            int[] order = ParzenEstimator.SortedOrder(mus);
            double[] ends = [-1, .. order.Select(k => mus[k]), 3];
            var sorted = new double[m];
            for (int i = 0; i < m; i++) sorted[i] = Math.Max(ends[i + 1] - ends[i], ends[i + 2] - ends[i + 1]);
            if (!endpoints && m >= 2) (sorted[0], sorted[m - 1]) = (ends[2] - ends[1], ends[m] - ends[m - 1]);
            double min = magicClip ? 4 / Math.Min(100.0, 1.0 + m) : 1e-12;
            var expected = new double[m];
            for (int i = 0; i < m; i++) expected[order[i]] = Math.Clamp(sorted[i], min, 4);
            expected[m - 1] = 4; // the prior's width is the whole range
            Assert.Equal(expected, pe.Sigmas);
        });
    }

    [Fact]
    public void A_given_sorted_order_gives_the_widths_sorting_would()
    {
        // Log ints with many ties (the tie order decides which twin gets the wider gap), the prior's centre among them.
        var d = new IntDistribution(1, 64, log: true);
        var rng = new Random(5);
        double[] obs = Enumerable.Range(0, 200).Select(_ => (double)(1 + rng.Next(8) * rng.Next(9))).ToArray();
        double[] keys = obs.Select(v => ParzenEstimator.TransformValue(d, v)).ToArray();
        int[] order = ParzenEstimator.SortedOrder(keys);
        double[] weights = TpeWeights.DefaultWeights(obs.Length);
        var sorted = new ParzenEstimator(d, obs, weights, Options);
        var given = new ParzenEstimator(d, obs, weights, Options, order);
        Assert.Equal(sorted.Sigmas, given.Sigmas);
        int[] swapped = (int[])order.Clone();
        (swapped[10], swapped[150]) = (swapped[150], swapped[10]);
        Assert.Throws<ArgumentException>(() => new ParzenEstimator(d, obs, weights, Options, swapped));
        Assert.Throws<ArgumentException>(() => new ParzenEstimator(d, obs, weights, Options, order[1..]));
        int[] repeated = (int[])order.Clone();
        repeated[1] = repeated[0];
        Assert.Throws<ArgumentException>(() => new ParzenEstimator(d, obs, weights, Options, repeated));
    }

    [Fact]
    public void Pruned_kernels_leave_grid_probabilities_summing_to_one()
    {
        // Many kernels on a wide integer grid: most are skipped for any one cell, yet the cells still sum to one.
        var ints = new IntDistribution(0, 400);
        var rng = new Random(9);
        double[] obs = Enumerable.Range(0, 600).Select(_ => (double)rng.Next(0, 401)).ToArray();
        var pe = new ParzenEstimator(ints, obs, Enumerable.Repeat(1.0, obs.Length).ToArray(), Options);
        double total = Enumerable.Range(0, 401).Sum(v => Math.Exp(pe.LogPdf(v)));
        Assert.Equal(1.0, total, 9);
    }
}
