using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>Hyperparameters of the Matérn-5/2 ARD kernel k(x,y) = scale · Matern52(Σ_j λ_j·δ_j(x,y)) plus observation noise.</summary>
/// <param name="InverseSquaredLengthscales">λ_j = 1/ℓ_j² per dimension.</param>
/// <param name="Scale">Kernel (signal) variance.</param>
/// <param name="NoiseVar">Observation noise variance added on the diagonal.</param>
public sealed record KernelParams(double[] InverseSquaredLengthscales, double Scale, double NoiseVar)
{
    /// <summary>Optuna's default start: every λ = 1, scale 1, noise 1.</summary>
    public static KernelParams Default(int dimension) => new(Enumerable.Repeat(1.0, dimension).ToArray(), 1, 1);
}

/// <summary>
/// Gaussian-process regression as in Optuna's <c>_gp/gp.py</c>: Matérn-5/2 ARD kernel where a continuous dimension
/// contributes λ_j(x_j − y_j)² and a categorical one λ_j·[x_j ≠ y_j] (Hamming); hyperparameters by maximising the log
/// marginal likelihood plus Optuna's log prior with L-BFGS (MathNet) on log-parameters, analytic gradients.
/// </summary>
public sealed class GpRegressor
{
    /// <summary>Optuna's DEFAULT_MINIMUM_NOISE_VAR.</summary>
    public const double DefaultMinimumNoise = 1e-6;

    private readonly double[] _x;      // n × d, row-major
    private readonly double[] _lower;  // Cholesky factor of K + noise·I, n × n row-major, lower triangle
    private readonly double[] _alpha;  // (K + noise·I)⁻¹ y
    private readonly double[] _inverse; // (K + noise·I)⁻¹, n × n row-major (gradients need K⁻¹k)

    /// <summary>Conditions the GP on data with fixed hyperparameters.</summary>
    /// <param name="x">Normalized inputs, one row per observation.</param>
    /// <param name="y">Outputs (standardized by the caller).</param>
    /// <param name="isCategorical">Per dimension: Hamming instead of squared distance.</param>
    /// <param name="kernel">Hyperparameters.</param>
    /// <exception cref="ArgumentException">Shapes disagree.</exception>
    /// <exception cref="InvalidOperationException">The covariance is not positive definite.</exception>
    public GpRegressor(double[][] x, double[] y, bool[] isCategorical, KernelParams kernel)
    {
        N = x.Length;
        D = isCategorical.Length;
        if (y.Length != N) throw new ArgumentException($"{N} inputs but {y.Length} outputs.");
        if (kernel.InverseSquaredLengthscales.Length != D) throw new ArgumentException("One lengthscale per dimension expected.");
        IsCategorical = isCategorical;
        Kernel = kernel;
        _x = Flatten(x, D);
        Matrix<double> k = Covariance(_x, N, D, isCategorical, kernel);
        var chol = CholeskyOrThrow(k);
        _lower = new double[N * N];
        Matrix<double> l = chol.Factor;
        for (int i = 0; i < N; i++)
            for (int j = 0; j <= i; j++) _lower[i * N + j] = l[i, j];
        _alpha = chol.Solve(Vector<double>.Build.DenseOfArray(y)).ToArray();
        _inverse = InverseFromCholesky(l);
    }

    /// <summary>Observations.</summary>
    public int N { get; }
    /// <summary>Dimensions.</summary>
    public int D { get; }
    /// <summary>Categorical dimensions.</summary>
    public bool[] IsCategorical { get; }
    /// <summary>Hyperparameters in use.</summary>
    public KernelParams Kernel { get; }

    /// <summary>Kernel between two points (scale · Matern52 of the scaled distance).</summary>
    public static double Covariance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, bool[] isCategorical, KernelParams kernel)
    {
        double d2 = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double diff = a[j] - b[j];
            d2 += kernel.InverseSquaredLengthscales[j] * (isCategorical[j] ? (diff != 0 ? 1 : 0) : diff * diff);
        }
        return kernel.Scale * GpMath.Matern52(d2);
    }

    /// <summary>Posterior mean and variance (variance clamped at 0) of the latent function at <paramref name="point"/>.</summary>
    public (double Mean, double Var) Posterior(ReadOnlySpan<double> point)
    {
        Span<double> k = N <= 512 ? stackalloc double[N] : new double[N];
        double[] lam = Kernel.InverseSquaredLengthscales;
        for (int i = 0; i < N; i++)
        {
            double d2 = SquaredDistance(point, i, lam);
            k[i] = Kernel.Scale * GpMath.Matern52(d2);
        }
        double mean = Dot(k, _alpha);
        // var = s − kᵀ(LLᵀ)⁻¹k = s − |L⁻¹k|²: one forward substitution in place.
        ForwardSubstitute(k);
        double q = 0;
        for (int i = 0; i < N; i++) q += k[i] * k[i];
        return (mean, Math.Max(Kernel.Scale - q, 0));
    }

    // Lengthscale-weighted squared distance from the point to training row i (categoricals: 0 if equal, else 1).
    private double SquaredDistance(ReadOnlySpan<double> point, int i, double[] lam)
    {
        double d2 = 0;
        int row = i * D;
        for (int j = 0; j < D; j++)
        {
            double diff = point[j] - _x[row + j];
            d2 += lam[j] * (IsCategorical[j] ? (diff != 0 ? 1 : 0) : diff * diff);
        }
        return d2;
    }

    /// <summary>
    /// Posterior mean and variance with their gradients w.r.t. the point's non-categorical coordinates (the entries of
    /// categorical dimensions are left 0).
    /// </summary>
    public (double Mean, double Var) PosteriorWithGradient(ReadOnlySpan<double> point, Span<double> meanGrad, Span<double> varGrad)
    {
        var k = new double[N];
        var dk = new double[N]; // s · Matern52′(d²_i)
        double[] lam = Kernel.InverseSquaredLengthscales;
        for (int i = 0; i < N; i++)
        {
            double d2 = SquaredDistance(point, i, lam);
            k[i] = Kernel.Scale * GpMath.Matern52(d2);
            dk[i] = Kernel.Scale * GpMath.Matern52Derivative(d2);
        }
        double mean = Dot(k, _alpha);
        var v = new double[N]; // K⁻¹k
        for (int i = 0; i < N; i++) v[i] = Dot(_inverse.AsSpan(i * N, N), k);
        double q = Dot(k, v);
        meanGrad.Clear();
        varGrad.Clear();
        // ∂k_i/∂x_j = s·M′(d²_i)·2λ_j(x_j − X_ij); mean = kᵀα; var = s − kᵀK⁻¹k ⇒ ∂var = −2(K⁻¹k)ᵀ∂k.
        for (int i = 0; i < N; i++)
        {
            int row = i * D;
            double a = dk[i] * _alpha[i], b = -2 * dk[i] * v[i];
            for (int j = 0; j < D; j++)
            {
                if (IsCategorical[j]) continue;
                double g = 2 * lam[j] * (point[j] - _x[row + j]);
                meanGrad[j] += a * g;
                varGrad[j] += b * g;
            }
        }
        double var = Kernel.Scale - q;
        if (var <= 0)
        {
            varGrad.Clear();
            var = 0;
        }
        return (mean, var);
    }

    /// <summary>
    /// Log marginal likelihood of <paramref name="y"/> plus Optuna's log prior (without constants) and its gradient
    /// w.r.t. the raw parameters [log λ_1..λ_d, log scale, log(noise − minimumNoise)].
    /// </summary>
    /// <exception cref="InvalidOperationException">The covariance is not positive definite.</exception>
    internal static (double Value, double[] Gradient) LogPosteriorWithGradient(PairwiseDistances pd, double[] y,
        double[] raw, double minimumNoise, bool deterministic)
    {
        int n = pd.N, d = pd.D;
        var lam = new double[d];
        for (int j = 0; j < d; j++) lam[j] = Math.Exp(raw[j]);
        double scale = Math.Exp(raw[d]);
        double noiseRaw = deterministic ? 0 : Math.Exp(raw[d + 1]);
        double noise = noiseRaw + minimumNoise;

        // K, and s·M′ per pair for the lengthscale gradients.
        var k = Matrix<double>.Build.Dense(n, n);
        var dm = new double[pd.Pairs];
        int p = 0;
        for (int i = 0; i < n; i++)
        {
            k[i, i] = scale + noise;
            for (int m = i + 1; m < n; m++, p++)
            {
                double d2 = 0;
                for (int j = 0; j < d; j++) d2 += lam[j] * pd.Delta2[j][p];
                double kv = scale * GpMath.Matern52(d2);
                k[i, m] = kv;
                k[m, i] = kv;
                dm[p] = scale * GpMath.Matern52Derivative(d2);
            }
        }
        var chol = CholeskyOrThrow(k);
        Vector<double> alpha = chol.Solve(Vector<double>.Build.DenseOfArray(y));
        double logDet = chol.DeterminantLn;
        double lml = -0.5 * (alpha.DotProduct(Vector<double>.Build.DenseOfArray(y)) + logDet + n * Math.Log(2 * Math.PI));
        double[] kinv = InverseFromCholesky(chol.Factor);

        // ∂lml/∂θ = ½ Σ_ik W_ik ∂K_ik/∂θ with W = ααᵀ − K⁻¹ (symmetric: diagonal + 2 × upper triangle).
        var grad = new double[d + 2];
        double traceW = 0, scaleSum = 0;
        for (int i = 0; i < n; i++)
        {
            double wii = alpha[i] * alpha[i] - kinv[i * n + i];
            traceW += wii;
            scaleSum += wii * scale; // diagonal: ∂K_ii/∂log s = s
        }
        p = 0;
        for (int i = 0; i < n; i++)
            for (int m = i + 1; m < n; m++, p++)
            {
                double w = 2 * (alpha[i] * alpha[m] - kinv[i * n + m]);
                scaleSum += w * k[i, m];
                double wd = w * dm[p];
                for (int j = 0; j < d; j++) grad[j] += wd * pd.Delta2[j][p];
            }
        for (int j = 0; j < d; j++) grad[j] *= 0.5 * lam[j];
        grad[d] = 0.5 * scaleSum;
        grad[d + 1] = deterministic ? 0 : 0.5 * traceW * noiseRaw;

        // Optuna's default_log_prior: −Σ(0.1/λ + 0.1λ) + Gamma(2, 1) on the scale + Gamma(1.1, 30) on the noise.
        double prior = 0;
        for (int j = 0; j < d; j++)
        {
            prior -= 0.1 / lam[j] + 0.1 * lam[j];
            grad[j] += 0.1 / lam[j] - 0.1 * lam[j];
        }
        prior += Math.Log(scale) - scale;
        grad[d] += 1 - scale;
        prior += 0.1 * Math.Log(noise) - 30 * noise;
        if (!deterministic) grad[d + 1] += (0.1 / noise - 30) * noiseRaw;
        return (lml + prior, grad);
    }

    /// <summary>
    /// Fits the hyperparameters (Optuna's <c>fit_kernel_params</c>): maximises log marginal likelihood + log prior
    /// from <paramref name="initial"/> (the previous fit, a warm start) and, if that fails, from the default start.
    /// </summary>
    /// <param name="x">Normalized inputs.</param>
    /// <param name="y">Standardized outputs.</param>
    /// <param name="isCategorical">Categorical dimensions.</param>
    /// <param name="initial">Warm start, or null.</param>
    /// <param name="minimumNoise">Lower bound of the noise variance.</param>
    /// <param name="deterministic">Fix the noise at <paramref name="minimumNoise"/> (a noise-free objective).</param>
    public static KernelParams Fit(double[][] x, double[] y, bool[] isCategorical, KernelParams? initial = null,
        double minimumNoise = DefaultMinimumNoise, bool deterministic = false)
    {
        int d = isCategorical.Length;
        var pd = new PairwiseDistances(x, isCategorical);
        var starts = new List<KernelParams>();
        if (initial is not null && initial.InverseSquaredLengthscales.Length == d) starts.Add(initial);
        starts.Add(KernelParams.Default(d));
        foreach (KernelParams start in starts)
        {
            KernelParams? fitted = FitFrom(pd, y, start, minimumNoise, deterministic);
            if (fitted is not null) return fitted;
        }
        return KernelParams.Default(d);
    }

    private static KernelParams? FitFrom(PairwiseDistances pd, double[] y, KernelParams start, double minimumNoise, bool deterministic)
    {
        int d = pd.D;
        var raw0 = new double[d + 2];
        for (int j = 0; j < d; j++) raw0[j] = Math.Log(start.InverseSquaredLengthscales[j]);
        raw0[d] = Math.Log(start.Scale);
        // As Optuna: start a little above the noise floor so log() stays finite.
        raw0[d + 1] = Math.Log(Math.Max(start.NoiseVar - 0.99 * minimumNoise, 0.01 * minimumNoise));

        // MathNet's line search throws when it cannot make progress; the best point seen is still a valid fit.
        double bestLoss = double.PositiveInfinity;
        double[]? best = null;
        var objective = ObjectiveFunction.Gradient(v =>
        {
            double[] raw = v.ToArray();
            double loss;
            double[] grad;
            try
            {
                var (value, g) = LogPosteriorWithGradient(pd, y, raw, minimumNoise, deterministic);
                (loss, grad) = (-value, g.Select(t => -t).ToArray());
            }
            catch (InvalidOperationException)
            {
                // Not positive definite here: a wall the line search backs off from.
                return (double.MaxValue, Vector<double>.Build.Dense(raw.Length));
            }
            if (!double.IsFinite(loss) || grad.Any(t => !double.IsFinite(t)))
                return (double.MaxValue, Vector<double>.Build.Dense(raw.Length));
            if (loss < bestLoss) { bestLoss = loss; best = raw; }
            return (loss, Vector<double>.Build.DenseOfArray(grad));
        });
        try
        {
            // Optuna: scipy L-BFGS-B with gtol 1e-2 on the same loss.
            new LimitedMemoryBfgsMinimizer(1e-2, 1e-8, 1e-9, 10, 200).FindMinimum(objective, Vector<double>.Build.DenseOfArray(raw0));
        }
        catch (Exception e) when (e is OptimizationException or MaximumIterationsException or ArgumentException)
        {
            // Keep the best point evaluated so far.
        }
        if (best is null) return null;
        var lam = new double[d];
        for (int j = 0; j < d; j++) lam[j] = Math.Exp(best[j]);
        return new KernelParams(lam, Math.Exp(best[d]), deterministic ? minimumNoise : Math.Exp(best[d + 1]) + minimumNoise);
    }

    /// <summary>
    /// K⁻¹ (row-major) from K's Cholesky factor L: rows of M = L⁻ᵀ by forward substitution, then K⁻¹ = L⁻ᵀL⁻¹ as dot
    /// products of those rows. Written out because it is the fit's hot spot: it exploits the triangular structure that
    /// MathNet's general <c>Solve(I)</c> does not (≈ 5× less time at n = 300).
    /// </summary>
    internal static double[] InverseFromCholesky(Matrix<double> factor)
    {
        int n = factor.RowCount;
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) l[i * n + j] = factor[i, j];
        // m[j, i] = (L⁻¹)[i, j], nonzero for i ≥ j: column j of L⁻¹ solves L x = e_j.
        var m = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            int mj = j * n;
            for (int i = j; i < n; i++)
            {
                int li = i * n;
                double sum = (i == j ? 1 : 0) - Dot(l.AsSpan(li + j, i - j), m.AsSpan(mj + j, i - j));
                m[mj + i] = sum / l[li + i];
            }
        }
        var inv = new double[n * n];
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
            {
                double dot = Dot(m.AsSpan(a * n + b, n - b), m.AsSpan(b * n + b, n - b));
                inv[a * n + b] = dot;
                inv[b * n + a] = dot;
            }
        return inv;
    }

    private static Matrix<double> Covariance(double[] x, int n, int d, bool[] isCategorical, KernelParams kernel)
    {
        var k = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            k[i, i] = kernel.Scale + kernel.NoiseVar;
            for (int m = i + 1; m < n; m++)
            {
                double v = Covariance(x.AsSpan(i * d, d), x.AsSpan(m * d, d), isCategorical, kernel);
                k[i, m] = v;
                k[m, i] = v;
            }
        }
        return k;
    }

    private static MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> CholeskyOrThrow(Matrix<double> k)
    {
        try
        {
            return k.Cholesky();
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException("GP covariance matrix is not positive definite.", e);
        }
    }

    private static double[] Flatten(double[][] x, int d)
    {
        var flat = new double[x.Length * d];
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i].Length != d) throw new ArgumentException($"Row {i} has {x[i].Length} coordinates, expected {d}.");
            x[i].CopyTo(flat, i * d);
        }
        return flat;
    }

    // Solves L z = b in place (L lower, row-major): the acquisition's inner loop, hence the vectorised dot product.
    private void ForwardSubstitute(Span<double> b)
    {
        for (int i = 0; i < N; i++)
            b[i] = (b[i] - Dot(_lower.AsSpan(i * N, i), b[..i])) / _lower[i * N + i];
    }

    // SIMD dot product (Vector<double> lanes, then the tail).
    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length, i = 0;
        double sum = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && n >= 2 * System.Numerics.Vector<double>.Count)
        {
            var acc = System.Numerics.Vector<double>.Zero;
            var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a);
            var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b[..n]);
            for (int v = 0; v < va.Length; v++) acc += va[v] * vb[v];
            sum = System.Numerics.Vector.Sum(acc);
            i = va.Length * System.Numerics.Vector<double>.Count;
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>Per-dimension squared differences (Hamming indicator for categoricals) of every pair i &lt; m, computed once per fit.</summary>
internal sealed class PairwiseDistances
{
    public PairwiseDistances(double[][] x, bool[] isCategorical)
    {
        N = x.Length;
        D = isCategorical.Length;
        Pairs = N * (N - 1) / 2;
        Delta2 = new double[D][];
        for (int j = 0; j < D; j++)
        {
            var col = new double[Pairs];
            int p = 0;
            for (int i = 0; i < N; i++)
                for (int m = i + 1; m < N; m++, p++)
                {
                    double diff = x[i][j] - x[m][j];
                    col[p] = isCategorical[j] ? (diff != 0 ? 1 : 0) : diff * diff;
                }
            Delta2[j] = col;
        }
    }

    public int N { get; }
    public int D { get; }
    public int Pairs { get; }
    public double[][] Delta2 { get; }
}
