namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>
/// The acquisition function the GP sampler maximises (Optuna's <c>eval_acqf</c>, LOG_EI with constraints): log EI of the
/// objective GP over <see cref="BestValue"/> (maximisation, standardized) plus, per constraint GP, log P(c ≤ threshold).
/// With no feasible trial yet the log EI term is dropped (Optuna ≥ 4.2), so the search first looks for feasibility.
/// </summary>
public sealed class Acquisition
{
    /// <summary>Optuna's acqf_stabilizing_noise, added to the posterior variance.</summary>
    public const double StabilizingNoise = 1e-12;

    /// <summary>Creates the acquisition.</summary>
    /// <param name="objective">GP of the (sign-adjusted so larger is better, standardized) objective.</param>
    /// <param name="bestValue">Best feasible observed value in the GP's scale; −∞ when there is none.</param>
    /// <param name="constraints">GPs of the standardized constraint values with the standardized 0 threshold.</param>
    public Acquisition(GpRegressor objective, double bestValue, IReadOnlyList<(GpRegressor Gp, double Threshold)>? constraints = null)
    {
        Objective = objective;
        BestValue = bestValue;
        Constraints = constraints ?? [];
    }

    /// <summary>The objective's GP.</summary>
    public GpRegressor Objective { get; }
    /// <summary>Threshold of the improvement (−∞: no feasible trial, no EI term).</summary>
    public double BestValue { get; }
    /// <summary>Constraint GPs, each with its feasibility threshold.</summary>
    public IReadOnlyList<(GpRegressor Gp, double Threshold)> Constraints { get; }

    /// <summary>Acquisition value at a normalized point.</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        double f = 0;
        if (!double.IsNegativeInfinity(BestValue))
        {
            var (mean, var) = Objective.Posterior(x);
            f = GpMath.LogEi(mean, var + StabilizingNoise, BestValue);
        }
        foreach (var (gp, threshold) in Constraints)
        {
            var (mean, var) = gp.Posterior(x);
            f += GpMath.LogNormalCdf((threshold - mean) / Math.Sqrt(var + StabilizingNoise));
        }
        return f;
    }

    /// <summary>Acquisition value and its gradient w.r.t. the non-categorical coordinates (categorical entries 0).</summary>
    public double ValueWithGradient(ReadOnlySpan<double> x, Span<double> grad)
    {
        int d = x.Length;
        grad.Clear();
        Span<double> gm = stackalloc double[d], gv = stackalloc double[d];
        double f = 0;
        if (!double.IsNegativeInfinity(BestValue))
        {
            var (mean, var) = Objective.PosteriorWithGradient(x, gm, gv);
            double v = var + StabilizingNoise, sigma = Math.Sqrt(v);
            double z = (mean - BestValue) / sigma;
            double h = GpMath.StandardLogEi(z);
            f = Math.Log(sigma) + h;
            // f = log σ + h(z), z = (μ − f0)/σ: ∂f/∂μ = h′/σ, ∂f/∂v = (1 − z·h′)/(2v).
            double hp = Math.Exp(GpMath.LogNormalCdf(z) - h);
            double dMean = hp / sigma, dVar = (1 - z * hp) / (2 * v);
            for (int j = 0; j < d; j++) grad[j] += dMean * gm[j] + dVar * gv[j];
        }
        foreach (var (gp, threshold) in Constraints)
        {
            var (mean, var) = gp.PosteriorWithGradient(x, gm, gv);
            double v = var + StabilizingNoise, sigma = Math.Sqrt(v);
            double t = (threshold - mean) / sigma;
            double logCdf = GpMath.LogNormalCdf(t);
            f += logCdf;
            // g = log Φ(t), t = (c − μ)/σ: ∂g/∂μ = −r/σ, ∂g/∂v = −r·t/(2v) with r = φ(t)/Φ(t).
            double r = Math.Exp(GpMath.LogNormalPdf(t) - logCdf);
            double dMean = -r / sigma, dVar = -r * t / (2 * v);
            for (int j = 0; j < d; j++) grad[j] += dMean * gm[j] + dVar * gv[j];
        }
        return f;
    }
}
