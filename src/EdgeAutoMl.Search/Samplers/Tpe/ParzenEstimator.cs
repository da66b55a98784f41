using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// Univariate Parzen estimator of TPE (Optuna's _ParzenEstimator, univariate mode): a weighted mixture with one
/// kernel per observation plus a prior kernel. Numeric params use truncated normals (in log space for log params;
/// stepped/int params are evaluated as the probability of their grid cell); categoricals use smoothed one-hot kernels.
/// Values in and out are internal representations.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly Distribution _distribution;
    private readonly double[] _weights; // mixture weights, sum 1
    private readonly double[] _logWeights;
    // Per kernel, everything in its log density that does not depend on x: log weight − log σ − log √2π − log(mass in
    // [low, high]) for continuous params, log weight − log(mass) for stepped ones. Computed once: LogPdf runs for
    // every candidate against every kernel, and the truncation mass (two erfc calls) dominated its cost.
    private readonly double[] _kernelConstants = [];
    // Numeric: kernel centres and widths in the transformed space, and its bounds.
    private readonly double[] _mus = [];
    private readonly double[] _sigmas = [];
    private readonly double _low, _high;
    private readonly double? _q; // grid step in transformed space (int / stepped float, not log)
    // Categorical: per-kernel choice probabilities.
    private readonly double[][] _catProbs = [];

    /// <summary>Builds the estimator from observations (internal values) and their weights.</summary>
    public ParzenEstimator(Distribution distribution, IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights,
        TpeOptions options)
    {
        if (observations.Count != observationWeights.Count)
            throw new ArgumentException("One weight per observation is required.");
        _distribution = distribution;
        int n = observations.Count;
        int kernels = n + 1; // observations + prior
        _weights = new double[kernels];
        for (int i = 0; i < n; i++) _weights[i] = observationWeights[i];
        _weights[n] = options.PriorWeight;
        double total = _weights.Sum();
        for (int i = 0; i < kernels; i++) _weights[i] /= total;
        _logWeights = Array.ConvertAll(_weights, w => Math.Log(w));

        if (distribution is CategoricalDistribution cat)
        {
            int c = cat.Choices.Count;
            _catProbs = new double[kernels][];
            for (int k = 0; k < kernels; k++)
            {
                var row = new double[c];
                Array.Fill(row, options.PriorWeight / kernels);
                if (k < n) row[(int)observations[k]] += 1;
                double s = row.Sum();
                for (int j = 0; j < c; j++) row[j] /= s;
                _catProbs[k] = row;
            }
            return;
        }

        (_low, _high, _q) = TransformedBounds(distribution);
        var mus = new double[kernels];
        for (int i = 0; i < n; i++) mus[i] = Transform(observations[i]);
        double priorMu = 0.5 * (_low + _high), priorSigma = _high - _low;
        mus[n] = priorMu;
        _mus = mus;
        _sigmas = Bandwidths(mus, _low, _high, options);
        _sigmas[n] = priorSigma;
        _kernelConstants = new double[kernels];
        for (int k = 0; k < kernels; k++)
        {
            double logMass = Math.Log(Math.Max(TruncatedNormal.Mass((_low - _mus[k]) / _sigmas[k], (_high - _mus[k]) / _sigmas[k]), 1e-300));
            _kernelConstants[k] = _q is null
                ? _logWeights[k] - Math.Log(_sigmas[k]) - TruncatedNormal.LogSqrt2Pi - logMass
                : _logWeights[k] - logMass;
        }
    }

    /// <summary>Draws <paramref name="count"/> internal values.</summary>
    public double[] Sample(Random rng, int count)
    {
        var result = new double[count];
        for (int s = 0; s < count; s++)
        {
            int k = PickKernel(rng);
            if (_distribution is CategoricalDistribution)
            {
                result[s] = PickIndex(rng, _catProbs[k]);
                continue;
            }
            double x = TruncatedNormal.Sample(rng, _mus[k], _sigmas[k], _low, _high);
            result[s] = Untransform(x);
        }
        return result;
    }

    /// <summary>Log density (or log probability, for discrete params) of internal values.</summary>
    public double LogPdf(double value)
    {
        int kernels = _weights.Length;
        Span<double> terms = kernels <= 256 ? stackalloc double[kernels] : new double[kernels];
        if (_distribution is CategoricalDistribution)
        {
            int c = (int)value;
            for (int k = 0; k < kernels; k++) terms[k] = _logWeights[k] + Math.Log(_catProbs[k][c]);
            return TruncatedNormal.LogSumExp(terms);
        }
        double x = Transform(value);
        if (_q is { } q)
        {
            double lo = Math.Max(x - q / 2, _low), hi = Math.Min(x + q / 2, _high);
            for (int k = 0; k < kernels; k++)
            {
                double part = TruncatedNormal.Mass((lo - _mus[k]) / _sigmas[k], (hi - _mus[k]) / _sigmas[k]);
                terms[k] = _kernelConstants[k] + Math.Log(Math.Max(part, 1e-300));
            }
        }
        else
        {
            double xc = Math.Clamp(x, _low, _high);
            for (int k = 0; k < kernels; k++)
            {
                double z = (xc - _mus[k]) / _sigmas[k];
                terms[k] = _kernelConstants[k] - 0.5 * z * z;
            }
        }
        return TruncatedNormal.LogSumExp(terms);
    }

    // Bounds of the space the kernels live in: log space for log params; grids widened by half a step so the end
    // values get full cells (Optuna does the same; log ints use ±0.5 before the log).
    private static (double Low, double High, double? Q) TransformedBounds(Distribution d) => d switch
    {
        IntDistribution { Log: true } i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), null),
        IntDistribution i => (i.Low - 0.5 * i.Step, i.High + 0.5 * i.Step, i.Step),
        FloatDistribution { Log: true } f => (Math.Log(f.Low), Math.Log(f.High), null),
        FloatDistribution { Step: { } s } f => (f.Low - 0.5 * s, f.High + 0.5 * s, s),
        FloatDistribution f => (f.Low, f.High, null),
        _ => throw new ArgumentException($"Unsupported distribution {d.OptunaName}."),
    };

    private double Transform(double internalValue) => IsLog ? Math.Log(internalValue) : internalValue;

    private bool IsLog => _distribution is IntDistribution { Log: true } or FloatDistribution { Log: true };

    private double Untransform(double x)
    {
        double v = IsLog ? Math.Exp(x) : x;
        switch (_distribution)
        {
            case IntDistribution i:
                v = i.Low + Math.Round((v - i.Low) / i.Step) * i.Step;
                return Math.Clamp(v, i.Low, i.High);
            case FloatDistribution { Step: { } s } f:
                v = f.Low + Math.Round((v - f.Low) / s) * s;
                return Math.Clamp(v, f.Low, f.High);
            case FloatDistribution f:
                return Math.Clamp(v, f.Low, f.High);
            default:
                return v;
        }
    }

    // Optuna's univariate bandwidth: each kernel's sigma is the larger gap to its sorted neighbours (bounds act as
    // neighbours; with consider_endpoints=false the outermost kernels use their inner gap), clipped to
    // [range / min(100, 1 + kernels), range] ("magic clip").
    private static double[] Bandwidths(double[] mus, double low, double high, TpeOptions options)
    {
        int m = mus.Length;
        int[] order = Enumerable.Range(0, m).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        var withEnds = new double[m + 2];
        withEnds[0] = low;
        for (int i = 0; i < m; i++) withEnds[i + 1] = mus[order[i]];
        withEnds[m + 1] = high;
        var sortedSigmas = new double[m];
        for (int i = 0; i < m; i++)
            sortedSigmas[i] = Math.Max(withEnds[i + 1] - withEnds[i], withEnds[i + 2] - withEnds[i + 1]);
        if (!options.ConsiderEndpoints && withEnds.Length >= 4)
        {
            sortedSigmas[0] = withEnds[2] - withEnds[1];
            sortedSigmas[m - 1] = withEnds[m] - withEnds[m - 1];
        }
        double maxSigma = high - low;
        double minSigma = options.ConsiderMagicClip ? (high - low) / Math.Min(100.0, 1.0 + m) : 1e-12;
        var sigmas = new double[m];
        for (int i = 0; i < m; i++) sigmas[order[i]] = Math.Clamp(sortedSigmas[i], minSigma, maxSigma);
        return sigmas;
    }

    private int PickKernel(Random rng) => PickIndex(rng, _weights);

    private static int PickIndex(Random rng, double[] probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            acc += probabilities[i];
            if (u < acc) return i;
        }
        return probabilities.Length - 1;
    }
}
