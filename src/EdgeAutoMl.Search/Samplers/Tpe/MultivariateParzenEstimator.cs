using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// Multivariate Parzen estimator of TPE (Optuna's _ParzenEstimator with multivariate=True): one kernel per observation
/// (plus the prior kernel), each a product over the params of a truncated normal (numeric; in log space for log params,
/// the probability of the grid cell for stepped/int ones) or a smoothed one-hot (categorical). All kernels of a numeric
/// param share Scott's-rule bandwidth 0.2·n^(−1/(d+4))·range (magic-clipped as in the univariate case); the prior
/// kernel sits at the centre with the whole range as its width. Values in and out are internal representations.
/// </summary>
internal sealed class MultivariateParzenEstimator
{
    private const double Sigma0Magnitude = 0.2;
    private readonly Dimension[] _dims;
    private readonly double[] _logWeights;
    private readonly double[] _cumulativeWeights;

    private sealed class Dimension
    {
        public required Distribution Distribution;
        public double Low, High;
        public double? Q;
        public bool Log;
        public double[] Mus = [], Sigmas = [];
        // Numeric: −log(mass in [low, high]) per kernel, plus −log σ − log √2π for continuous params.
        public double[] Constants = [];
        public double[][] CatProbs = [], CatLogProbs = [];
    }

    /// <summary>
    /// Builds the estimator. <paramref name="observations"/>[d][i] is the internal value of param d in observation i;
    /// <paramref name="observationWeights"/>[i] its weight.
    /// </summary>
    public MultivariateParzenEstimator(IReadOnlyList<Distribution> distributions, IReadOnlyList<double[]> observations,
        IReadOnlyList<double> observationWeights, TpeOptions options)
    {
        if (distributions.Count == 0 || distributions.Count != observations.Count)
            throw new ArgumentException("One observation column per distribution (at least one) is required.");
        int n = observationWeights.Count;
        if (observations.Any(o => o.Length != n)) throw new ArgumentException("One weight per observation is required.");
        int kernels = n + 1;
        var weights = new double[kernels];
        for (int i = 0; i < n; i++) weights[i] = observationWeights[i];
        weights[n] = options.PriorWeight;
        double total = weights.Sum();
        for (int i = 0; i < kernels; i++) weights[i] /= total;
        _logWeights = Array.ConvertAll(weights, Math.Log);
        _cumulativeWeights = new double[kernels];
        double acc = 0;
        for (int k = 0; k < kernels; k++) _cumulativeWeights[k] = acc += weights[k];

        // Scott's rule, as Optuna (the BOHB paper's choice); n counts at least one observation.
        double sigma0 = Sigma0Magnitude * Math.Pow(Math.Max(n, 1), -1.0 / (distributions.Count + 4));
        _dims = new Dimension[distributions.Count];
        for (int d = 0; d < distributions.Count; d++)
        {
            Distribution dist = distributions[d];
            var dim = new Dimension { Distribution = dist };
            _dims[d] = dim;
            if (dist is CategoricalDistribution cat)
            {
                int c = cat.Choices.Count;
                dim.CatProbs = new double[kernels][];
                dim.CatLogProbs = new double[kernels][];
                var rows = new (double[] Probs, double[] Logs)?[c + 1];
                for (int k = 0; k < kernels; k++)
                {
                    int key = k < n ? (int)observations[d][k] : c;
                    if (rows[key] is not { } shared)
                    {
                        var row = new double[c];
                        Array.Fill(row, options.PriorWeight / kernels);
                        if (key < c) row[key] += 1;
                        double s = row.Sum();
                        for (int j = 0; j < c; j++) row[j] /= s;
                        rows[key] = shared = (row, Array.ConvertAll(row, Math.Log));
                    }
                    dim.CatProbs[k] = shared.Probs;
                    dim.CatLogProbs[k] = shared.Logs;
                }
                continue;
            }
            (dim.Low, dim.High) = SearchSpaceTransform.Bounds(dist);
            dim.Q = dist switch
            {
                IntDistribution { Log: false } i => i.Step,
                FloatDistribution { Log: false, Step: { } s } => s,
                _ => null,
            };
            dim.Log = dist is IntDistribution { Log: true } or FloatDistribution { Log: true };
            double range = dim.High - dim.Low;
            double minSigma = options.ConsiderMagicClip ? range / Math.Min(100.0, 1.0 + kernels) : 1e-12;
            double sigma = Math.Clamp(sigma0 * range, minSigma, range);
            dim.Mus = new double[kernels];
            dim.Sigmas = new double[kernels];
            for (int i = 0; i < n; i++)
            {
                dim.Mus[i] = SearchSpaceTransform.Transform(dist, observations[d][i]);
                dim.Sigmas[i] = sigma;
            }
            dim.Mus[n] = 0.5 * (dim.Low + dim.High);
            dim.Sigmas[n] = range;
            dim.Constants = new double[kernels];
            for (int k = 0; k < kernels; k++)
            {
                double mass = TruncatedNormal.MassAround((dim.Low - dim.Mus[k]) / dim.Sigmas[k], (dim.High - dim.Mus[k]) / dim.Sigmas[k]);
                double logMass = Math.Log(Math.Max(mass, 1e-300));
                dim.Constants[k] = dim.Q is null
                    ? -(options.NormalizedKernels ? Math.Log(dim.Sigmas[k]) : 0) - TruncatedNormal.LogSqrt2Pi - logMass
                    : -logMass;
            }
        }
    }

    /// <summary>Draws <paramref name="count"/> points; result[s][d] is param d of point s (internal values).</summary>
    public double[][] Sample(Random rng, int count)
    {
        var result = new double[count][];
        for (int s = 0; s < count; s++)
        {
            int k = KernelDraw.Kernel(rng, _cumulativeWeights);
            var point = new double[_dims.Length];
            for (int d = 0; d < _dims.Length; d++)
            {
                Dimension dim = _dims[d];
                if (dim.Distribution is CategoricalDistribution)
                {
                    point[d] = KernelDraw.Index(rng, dim.CatProbs[k]);
                    continue;
                }
                double x = TruncatedNormal.Sample(rng, dim.Mus[k], dim.Sigmas[k], dim.Low, dim.High);
                point[d] = SearchSpaceTransform.Untransform(dim.Distribution, x);
            }
            result[s] = point;
        }
        return result;
    }

    /// <summary>Joint log density (log probability for the discrete params) of each point.</summary>
    public double[] LogPdf(IReadOnlyList<double[]> points)
    {
        int kernels = _logWeights.Length;
        var terms = new double[kernels];
        var result = new double[points.Count];
        for (int s = 0; s < points.Count; s++)
        {
            _logWeights.CopyTo(terms, 0);
            for (int d = 0; d < _dims.Length; d++) AddComponent(_dims[d], points[s][d], terms);
            result[s] = TruncatedNormal.LogSumExp(terms);
        }
        return result;
    }

    private static void AddComponent(Dimension dim, double value, double[] terms)
    {
        if (dim.Distribution is CategoricalDistribution)
        {
            int c = (int)value;
            for (int k = 0; k < terms.Length; k++) terms[k] += dim.CatLogProbs[k][c];
            return;
        }
        double x = dim.Log ? Math.Log(value) : value;
        if (dim.Q is { } q)
        {
            double lo = Math.Max(x - q / 2, dim.Low), hi = Math.Min(x + q / 2, dim.High);
            for (int k = 0; k < terms.Length; k++)
            {
                double part = TruncatedNormal.Mass((lo - dim.Mus[k]) / dim.Sigmas[k], (hi - dim.Mus[k]) / dim.Sigmas[k]);
                terms[k] += dim.Constants[k] + Math.Log(Math.Max(part, 1e-300));
            }
            return;
        }
        double xc = Math.Clamp(x, dim.Low, dim.High);
        for (int k = 0; k < terms.Length; k++)
        {
            double z = (xc - dim.Mus[k]) / dim.Sigmas[k];
            terms[k] += dim.Constants[k] - 0.5 * z * z;
        }
    }
}
