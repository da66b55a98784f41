using EdgeAutoMl.Search.Samplers.Gp;

namespace EdgeAutoMl.Search.Tests.Samplers.Gp;

public class GpMathTests
{
    // Reference: /usr/bin/python3 -c "import numpy as np; from scipy.special import ndtr, erfcx
    //   h = lambda z: np.log(z*ndtr(z) + np.exp(-z*z/2)/np.sqrt(2*np.pi)) if z >= -25 else
    //     -z*z/2 - np.log(2*np.pi)/2 + np.log1p(z*np.sqrt(np.pi/2)*erfcx(-z/np.sqrt(2))); print(repr(h(Z)))"
    [Theory]
    [InlineData(-60.0, -1809.108460182273)]
    [InlineData(-40.0, -808.2985683566197)]
    [InlineData(-30.0, -457.72465376059813)]
    [InlineData(-25.5, -332.525884462205)]
    [InlineData(-25.0, -319.86146358149597)]
    [InlineData(-10.0, -55.5531220361216)]
    [InlineData(-3.0, -7.869686059603018)]
    [InlineData(-1.0, -2.4851210257126413)]
    [InlineData(0.0, -0.9189385332046727)]
    [InlineData(0.5, -0.35982768374506374)]
    [InlineData(2.0, 0.6973835457882284)]
    [InlineData(8.0, 2.0794415416798357)]
    public void Standard_log_ei_matches_scipy(double z, double expected) =>
        Assert.Equal(expected, GpMath.StandardLogEi(z), 1e-9 * Math.Max(1, Math.Abs(expected)));

    // Reference: /usr/bin/python3 -c "from scipy.special import log_ndtr; print(repr(log_ndtr(Z)))"
    [Theory]
    [InlineData(-100.0, -5005.524208694205)]
    [InlineData(-50.0, -1254.8313611394199)]
    [InlineData(-38.0, -726.5572160188201)]
    [InlineData(-36.0, -652.5032275937986)]
    [InlineData(-10.0, -53.23128515051248)]
    [InlineData(-1.0, -1.841021645009264)]
    [InlineData(0.0, -0.6931471805599453)]
    [InlineData(1.0, -0.17275377902344985)]
    [InlineData(4.9, -4.791833913986616e-07)]
    [InlineData(5.1, -1.698267551353223e-07)]
    [InlineData(10.0, -7.619853024160473e-24)]
    public void Log_normal_cdf_matches_scipy(double z, double expected) =>
        Assert.Equal(expected, GpMath.LogNormalCdf(z), 1e-10 * Math.Max(Math.Abs(expected), 1e-30) + 1e-300);

    [Fact]
    public void Log_ei_is_finite_increasing_and_continuous_far_into_the_tail()
    {
        double previous = double.NegativeInfinity;
        for (double z = -1e4; z <= 10; z += z < -100 ? 7.3 : 0.01)
        {
            double h = GpMath.StandardLogEi(z);
            Assert.True(double.IsFinite(h), $"h({z}) = {h}");
            Assert.True(h > previous, $"h not increasing at {z}");
            previous = h;
            double slope = GpMath.StandardLogEiDerivative(z);
            Assert.True(double.IsFinite(slope) && slope > 0, $"h'({z}) = {slope}");
        }
        // The two branches meet at Optuna's switch point −25 without a jump.
        Assert.Equal(GpMath.StandardLogEi(-25), GpMath.StandardLogEi(-25 - 1e-12), 1e-8);
        // Whole log EI with a tiny variance far below the incumbent: finite, not −inf/NaN.
        double v = GpMath.LogEi(mean: -50, var: 1e-12, f0: 0);
        Assert.True(double.IsFinite(v), $"log EI = {v}");
    }

    [Fact]
    public void Log_ei_slope_matches_a_finite_difference()
    {
        foreach (double z in new[] { -40.0, -26, -24, -5, -0.3, 0, 1.7, 6 })
        {
            double e = 1e-6 * Math.Max(1, Math.Abs(z));
            double fd = (GpMath.StandardLogEi(z + e) - GpMath.StandardLogEi(z - e)) / (2 * e);
            Assert.Equal(fd, GpMath.StandardLogEiDerivative(z), 1e-5 * Math.Max(1, Math.Abs(fd)));
        }
    }

    [Fact]
    public void Matern52_is_one_at_zero_and_its_derivative_matches_a_finite_difference()
    {
        Assert.Equal(1.0, GpMath.Matern52(0));
        Assert.Equal(-5.0 / 6.0, GpMath.Matern52Derivative(0));
        foreach (double d2 in new[] { 1e-3, 0.2, 1, 4.5, 30 })
        {
            double e = 1e-7 * Math.Max(1, d2);
            double fd = (GpMath.Matern52(d2 + e) - GpMath.Matern52(d2 - e)) / (2 * e);
            Assert.Equal(fd, GpMath.Matern52Derivative(d2), 1e-6);
        }
    }

    // Reference (numpy, by hand from the formulas):
    //   X=[[0.1,0],[0.4,1],[0.7,2],[0.9,1]], dim 1 categorical, y=[0.5,-1,1.2,0.3], λ=[2,0.5], scale 1.3, noise 0.01
    //   k(a,b) = s(1+r+5d²/3)e^{-r}, r=√(5d²), d² = Σ λ_j·((a_j−b_j)² | [a_j≠b_j]); K = k(X,X) + noise·I
    //   mean = k(x*,X) K⁻¹ y, var = s − k(x*,X) K⁻¹ k(X,x*) at x* = [0.55, 1]
    //   log p = −½(yᵀK⁻¹y + log|K| + 4 log 2π) − Σ(0.1/λ + 0.1λ) + (log s − s) + (0.1 log noise − 30 noise)
    private static readonly double[][] X = [[0.1, 0], [0.4, 1], [0.7, 2], [0.9, 1]];
    private static readonly double[] Y = [0.5, -1.0, 1.2, 0.3];
    private static readonly bool[] Cat = [false, true];
    private static readonly KernelParams P = new([2.0, 0.5], 1.3, 0.01);

    [Fact]
    public void Kernel_and_posterior_match_numpy()
    {
        Assert.Equal(0.8179484563102183, GpRegressor.Covariance(X[0], X[1], Cat, P), 1e-12);
        var gp = new GpRegressor(X, Y, Cat, P);
        var (mean, var) = gp.Posterior([0.55, 1]);
        Assert.Equal(-0.6654137353241047, mean, 1e-10);
        Assert.Equal(0.03530659702727701, var, 1e-10);
    }

    [Fact]
    public void Log_marginal_likelihood_plus_prior_matches_numpy_and_its_gradient_a_finite_difference()
    {
        const double minNoise = 1e-6;
        var pd = new PairwiseDistances(X, Cat);
        double[] raw = [Math.Log(2.0), Math.Log(0.5), Math.Log(1.3), Math.Log(0.01 - minNoise)];
        var (value, grad) = GpRegressor.LogPosteriorWithGradient(pd, Y, raw, minNoise, deterministic: false);
        Assert.Equal(-8.772939955162828, value, 1e-9);
        for (int i = 0; i < raw.Length; i++)
        {
            double[] up = (double[])raw.Clone(), down = (double[])raw.Clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double fd = (GpRegressor.LogPosteriorWithGradient(pd, Y, up, minNoise, false).Value -
                         GpRegressor.LogPosteriorWithGradient(pd, Y, down, minNoise, false).Value) / 2e-6;
            Assert.Equal(fd, grad[i], 1e-5 * Math.Max(1, Math.Abs(fd)));
        }
    }

    [Fact]
    public void Posterior_gradients_match_finite_differences()
    {
        var gp = new GpRegressor(X, Y, Cat, P);
        double[] x = [0.33, 1];
        var gm = new double[2];
        var gv = new double[2];
        gp.PosteriorWithGradient(x, gm, gv);
        double e = 1e-6;
        var (mu, vu) = gp.Posterior([x[0] + e, 1]);
        var (md, vd) = gp.Posterior([x[0] - e, 1]);
        Assert.Equal((mu - md) / (2 * e), gm[0], 1e-6);
        Assert.Equal((vu - vd) / (2 * e), gv[0], 1e-6);
        Assert.Equal(0.0, gm[1]); // categorical: no gradient

        var acq = new Acquisition(gp, bestValue: 1.0, constraints: [(new GpRegressor(X, [0.2, -0.4, 1, -1], Cat, P), 0.1)]);
        var ga = new double[2];
        acq.ValueWithGradient(x, ga);
        double fd = (acq.Value([x[0] + e, 1]) - acq.Value([x[0] - e, 1])) / (2 * e);
        Assert.Equal(fd, ga[0], 1e-5 * Math.Max(1, Math.Abs(fd)));
    }

    [Fact]
    public void Posterior_mean_interpolates_noise_free_training_data()
    {
        var rng = new Random(5);
        double[][] x = Enumerable.Range(0, 25).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }).ToArray();
        double[] y = x.Select(p => Math.Sin(6 * p[0]) + p[1] * p[1] - p[2]).ToArray();
        bool[] cat = [false, false, false];
        KernelParams k = GpRegressor.Fit(x, y, cat, deterministic: true);
        Assert.Equal(GpRegressor.DefaultMinimumNoise, k.NoiseVar);
        var gp = new GpRegressor(x, y, cat, k);
        for (int i = 0; i < x.Length; i++)
        {
            var (mean, var) = gp.Posterior(x[i]);
            Assert.Equal(y[i], mean, 1e-3);
            Assert.True(var < 1e-4, $"var at training point {i} = {var}");
        }
        // And away from the data the GP is uncertain.
        Assert.True(gp.Posterior([1.5, -0.5, 2]).Var > 0.1);
    }

    [Fact]
    public void Fitting_learns_that_an_irrelevant_dimension_has_a_long_lengthscale()
    {
        var rng = new Random(11);
        double[][] x = Enumerable.Range(0, 30).Select(_ => new[] { rng.NextDouble(), rng.NextDouble() }).ToArray();
        double[] y = x.Select(p => Math.Sin(8 * p[0])).ToArray(); // ignores p[1]
        double m = y.Average(), s = Math.Sqrt(y.Select(v => (v - m) * (v - m)).Average());
        y = y.Select(v => (v - m) / s).ToArray();
        KernelParams k = GpRegressor.Fit(x, y, [false, false]);
        Assert.True(k.InverseSquaredLengthscales[0] > 10 * k.InverseSquaredLengthscales[1],
            $"λ = [{string.Join(", ", k.InverseSquaredLengthscales)}]");
    }

    [Fact]
    public void Inverse_from_the_cholesky_factor_matches_mathnets_inverse()
    {
        var rng = new Random(2);
        int n = 37;
        var a = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, n, (_, _) => rng.NextDouble() - 0.5);
        var k = a * a.Transpose() + MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseIdentity(n) * 0.1;
        double[] inv = GpRegressor.InverseFromCholesky(k.Cholesky().Factor);
        var expected = k.Inverse();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(expected[i, j], inv[i * n + j], 1e-8 * Math.Max(1, Math.Abs(expected[i, j])));
    }
}
