using System.Numerics;
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
    // Categorical: per-kernel choice probabilities. A row depends only on the kernel's observed choice (or on its being
    // the prior), so kernels with the same choice share one row and its logs.
    private readonly double[][] _catProbs = [];
    private readonly double[][] _catLogProbs = [];
    // Categorical: log probability of each choice under the whole mixture, computed on first use (NaN = not yet):
    // every candidate is one of few choices, so the mixture is summed once per choice instead of once per candidate.
    private readonly double[] _catLogPmf = [];
    // Cumulative mixture weights, for drawing a kernel by binary search.
    private readonly double[] _cumulativeWeights;

    /// <summary>
    /// Builds the estimator from observations (internal values) and their weights. <paramref name="sortedOrder"/>, if
    /// given, is the observations' indices ordered by <see cref="TransformValue"/>, ties by index (what the bandwidths
    /// need and would otherwise sort for): TPE keeps it between trials, as most observations stay the same.
    /// </summary>
    /// <exception cref="ArgumentException">Weights and observations differ in number, or the order is not that.</exception>
    public ParzenEstimator(Distribution distribution, IReadOnlyList<double> observations, IReadOnlyList<double> observationWeights,
        TpeOptions options, int[]? sortedOrder = null)
        : this(distribution, observations, new MixtureWeights(observationWeights, options.PriorWeight), options, sortedOrder) { }

    /// <summary>
    /// As the other constructor, with the mixture weights already normalised (TPE's "above" estimators of one trial
    /// all have the same ones: computed once, not once per param).
    /// </summary>
    /// <exception cref="ArgumentException">Weights and observations differ in number, or the order is not that.</exception>
    public ParzenEstimator(Distribution distribution, IReadOnlyList<double> observations, MixtureWeights weights,
        TpeOptions options, int[]? sortedOrder = null)
    {
        if (observations.Count + 1 != weights.Weights.Length)
            throw new ArgumentException("One weight per observation is required.");
        _distribution = distribution;
        int n = observations.Count;
        int kernels = n + 1; // observations + prior
        _weights = weights.Weights;
        _logWeights = weights.LogWeights;
        _cumulativeWeights = weights.Cumulative;

        if (distribution is CategoricalDistribution cat)
        {
            int c = cat.Choices.Count;
            _catProbs = new double[kernels][];
            _catLogProbs = new double[kernels][];
            var rows = new (double[] Probs, double[] Logs)?[c + 1]; // by observed choice; [c] = prior
            for (int k = 0; k < kernels; k++)
            {
                int key = k < n ? (int)observations[k] : c;
                if (rows[key] is not { } shared)
                {
                    var row = new double[c];
                    Array.Fill(row, options.PriorWeight / kernels);
                    if (key < c) row[key] += 1;
                    double s = row.Sum();
                    for (int j = 0; j < c; j++) row[j] /= s;
                    rows[key] = shared = (row, Array.ConvertAll(row, Math.Log));
                }
                _catProbs[k] = shared.Probs;
                _catLogProbs[k] = shared.Logs;
            }
            _catLogPmf = new double[c];
            Array.Fill(_catLogPmf, double.NaN);
            return;
        }

        (_low, _high, _q) = TransformedBounds(distribution);
        var mus = new double[kernels];
        for (int i = 0; i < n; i++) mus[i] = Transform(observations[i]);
        double priorMu = 0.5 * (_low + _high), priorSigma = _high - _low;
        mus[n] = priorMu;
        _mus = mus;
        _sigmas = Bandwidths(mus, sortedOrder is null ? SortedOrder(mus) : WithPrior(sortedOrder, mus), _low, _high, options);
        _sigmas[n] = priorSigma;
        _kernelConstants = new double[kernels];
        // With many observations most kernels lie far inside the range (mass exactly 1, log exactly 0) and share the
        // clipped minimum width: those logs are not taken again (the values are the same).
        double lastSigma = double.NaN, logSigma = 0;
        for (int k = 0; k < kernels; k++)
        {
            double mass = TruncatedNormal.MassAround((_low - _mus[k]) / _sigmas[k], (_high - _mus[k]) / _sigmas[k]);
            double logMass = mass == 1.0 ? 0.0 : Math.Log(Math.Max(mass, 1e-300));
            if (_sigmas[k] != lastSigma) logSigma = Math.Log(lastSigma = _sigmas[k]);
            _kernelConstants[k] = _q is null
                ? _logWeights[k] - (options.NormalizedKernels ? logSigma : 0) - TruncatedNormal.LogSqrt2Pi - logMass
                : _logWeights[k] - logMass;
        }
    }

    /// <summary>
    /// The mixture weights of the observation kernels and the prior (last), normalised to sum 1, with their logs and
    /// running sums. Read-only once built: estimators share one instance.
    /// </summary>
    internal sealed class MixtureWeights
    {
        /// <summary>Normalises <paramref name="observationWeights"/> with the prior's weight appended.</summary>
        public MixtureWeights(IReadOnlyList<double> observationWeights, double priorWeight)
        {
            int n = observationWeights.Count, kernels = n + 1;
            Weights = new double[kernels];
            for (int i = 0; i < n; i++) Weights[i] = observationWeights[i];
            Weights[n] = priorWeight;
            double total = Weights.Sum();
            for (int i = 0; i < kernels; i++) Weights[i] /= total;
            LogWeights = Array.ConvertAll(Weights, w => Math.Log(w));
            // Accumulated in the same order as a linear scan would, so the binary search picks exactly the same kernel.
            Cumulative = new double[kernels];
            double acc = 0;
            for (int k = 0; k < kernels; k++) Cumulative[k] = acc += Weights[k];
        }

        /// <summary>Per kernel, summing to 1.</summary>
        public double[] Weights { get; }
        /// <summary>Their logs.</summary>
        public double[] LogWeights { get; }
        /// <summary>Running sums, for drawing a kernel by binary search.</summary>
        public double[] Cumulative { get; }
    }

    /// <summary>Kernel widths in the transformed space, the prior's last (empty for categoricals); for tests.</summary>
    internal IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>Centre of the prior kernel in the transformed space; for tests.</summary>
    internal double PriorCentre => 0.5 * (_low + _high);

    /// <summary>Draws <paramref name="count"/> internal values.</summary>
    public double[] Sample(Random rng, int count)
    {
        var result = new double[count];
        for (int s = 0; s < count; s++)
        {
            int k = KernelDraw.Kernel(rng, _cumulativeWeights);
            if (_distribution is CategoricalDistribution)
            {
                result[s] = KernelDraw.Index(rng, _catProbs[k]);
                continue;
            }
            double x = TruncatedNormal.Sample(rng, _mus[k], _sigmas[k], _low, _high);
            result[s] = Untransform(x);
        }
        return result;
    }

    /// <summary>Mixture components, the prior included: the length of the scratch <see cref="LogPdf(double, Span{double})"/> needs.</summary>
    public int KernelCount => _weights.Length;

    /// <summary>Log density (or log probability, for discrete params) of an internal value.</summary>
    public double LogPdf(double value) =>
        LogPdf(value, KernelCount <= 256 ? stackalloc double[KernelCount] : new double[KernelCount]);

    /// <summary>
    /// <see cref="LogPdf(double)"/> with caller-owned room for one term per kernel (<see cref="KernelCount"/>): TPE scores
    /// every candidate against ~1000 kernels, and a fresh array per candidate was a good part of its cost (GC, memset).
    /// </summary>
    public double LogPdf(double value, Span<double> scratch)
    {
        int kernels = _weights.Length;
        if (scratch.Length < kernels) throw new ArgumentException($"The scratch holds {scratch.Length} terms; {kernels} kernels need as many.");
        Span<double> terms = scratch[..kernels];
        if (_distribution is CategoricalDistribution)
        {
            int c = (int)value;
            if (!double.IsNaN(_catLogPmf[c])) return _catLogPmf[c];
            for (int k = 0; k < kernels; k++) terms[k] = _logWeights[k] + _catLogProbs[k][c];
            return _catLogPmf[c] = TruncatedNormal.LogSumExp(terms);
        }
        double x = Transform(value);
        if (_q is { } q)
        {
            double lo = Math.Max(x - q / 2, _low), hi = Math.Min(x + q / 2, _high);
            // The cell's mass under a kernel is at most its width times the density at the cell's nearest point; a
            // kernel whose bound is e^-50 below a term already computed cannot move the sum, so its two erfc calls
            // are skipped (most kernels, once there are many observations).
            double best = double.NegativeInfinity;
            for (int k = 0; k < kernels; k++)
            {
                double gap = _mus[k] < lo ? lo - _mus[k] : _mus[k] > hi ? _mus[k] - hi : 0;
                double zGap = gap / _sigmas[k];
                double bound = _kernelConstants[k] + Math.Min(0, Math.Log((hi - lo) / _sigmas[k]) - TruncatedNormal.LogSqrt2Pi) - 0.5 * zGap * zGap;
                if (bound < best - LogSumExpCutoff) { terms[k] = double.NegativeInfinity; continue; }
                double part = TruncatedNormal.MassAround((lo - _mus[k]) / _sigmas[k], (hi - _mus[k]) / _sigmas[k]);
                terms[k] = _kernelConstants[k] + Math.Log(Math.Max(part, 1e-300));
                if (terms[k] > best) best = terms[k];
            }
            return TruncatedNormal.LogSumExp(terms, LogSumExpCutoff);
        }
        double max = ContinuousTerms(Math.Clamp(x, _low, _high), _mus, _sigmas, _kernelConstants, terms);
        return TruncatedNormal.LogSumExpBelowMax(terms, max, LogSumExpCutoff);
    }

    /// <summary>
    /// terms[k] = constants[k] − ½((x − mus[k]) / sigmas[k])², a SIMD vector at a time: element-wise IEEE operations in
    /// the same order as the scalar loop, so every term is bit for bit what the scalar loop computes. Returns the
    /// largest term (as a scan keeping the first of equal ones and ignoring NaN would; −∞ if none), which log-sum-exp
    /// needs and would otherwise find in a second pass.
    /// </summary>
    internal static double ContinuousTerms(double x, ReadOnlySpan<double> mus, ReadOnlySpan<double> sigmas,
        ReadOnlySpan<double> constants, Span<double> terms)
    {
        int k = 0;
        double max = double.NegativeInfinity;
        if (Vector.IsHardwareAccelerated && mus.Length >= Vector<double>.Count)
        {
            var xs = new Vector<double>(x);
            var half = new Vector<double>(0.5);
            var maxes = new Vector<double>(double.NegativeInfinity);
            for (; k <= mus.Length - Vector<double>.Count; k += Vector<double>.Count)
            {
                Vector<double> z = (xs - new Vector<double>(mus[k..])) / new Vector<double>(sigmas[k..]);
                Vector<double> t = new Vector<double>(constants[k..]) - half * z * z;
                t.CopyTo(terms[k..]);
                maxes = Vector.ConditionalSelect(Vector.GreaterThan(t, maxes), t, maxes);
            }
            for (int lane = 0; lane < Vector<double>.Count; lane++) if (maxes[lane] > max) max = maxes[lane];
        }
        for (; k < mus.Length; k++)
        {
            double z = (x - mus[k]) / sigmas[k];
            terms[k] = constants[k] - 0.5 * z * z;
            if (terms[k] > max) max = terms[k];
        }
        return max;
    }

    // Terms more than this below the largest are left out of log-sum-exp: e^-50 ≈ 2e-22, so even a thousand of them
    // change the sum by less than a rounding step, and skipping their exp is most of LogPdf's cost.
    private const double LogSumExpCutoff = 50;

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

    private double Transform(double internalValue) => TransformValue(_distribution, internalValue);

    /// <summary>Where a numeric internal value lies in the space the kernels live in (its log for log params).</summary>
    internal static double TransformValue(Distribution distribution, double internalValue) =>
        distribution is IntDistribution { Log: true } or FloatDistribution { Log: true } ? Math.Log(internalValue) : internalValue;

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
    private static double[] Bandwidths(double[] mus, int[] order, double low, double high, TpeOptions options)
    {
        int m = mus.Length;
        double maxSigma = high - low;
        double minSigma = options.ConsiderMagicClip ? (high - low) / Math.Min(100.0, 1.0 + m) : 1e-12;
        var sigmas = new double[m];
        for (int i = 0; i < m; i++)
        {
            double v = mus[order[i]];
            double prev = i == 0 ? low : mus[order[i - 1]], next = i == m - 1 ? high : mus[order[i + 1]];
            double sigma = Math.Max(v - prev, next - v);
            if (!options.ConsiderEndpoints && m >= 2)
            {
                if (i == 0) sigma = next - v;
                else if (i == m - 1) sigma = v - prev;
            }
            sigmas[order[i]] = Math.Clamp(sigma, minSigma, maxSigma);
        }
        return sigmas;
    }

    // The sorted order of the observations (mus[..^1]) with the prior (the last kernel) put in: after every value up to
    // its own, as its index is the largest. Checked first: a wrong order would silently give wrong widths.
    private static int[] WithPrior(int[] observationOrder, double[] mus)
    {
        int n = mus.Length - 1;
        if (observationOrder.Length != n) throw new ArgumentException($"The sorted order has {observationOrder.Length} indices for {n} observations.");
        // n indices in range, strictly increasing in (value, index): n distinct indices, so a permutation too.
        for (int i = 0; i < n; i++)
        {
            int k = observationOrder[i];
            if ((uint)k >= (uint)n) throw new ArgumentException($"The sorted order holds index {k} at {i}, outside 0..{n - 1}.");
            if (i > 0)
            {
                int prev = observationOrder[i - 1];
                if (mus[k] < mus[prev] || (mus[k] == mus[prev] && k <= prev))
                    throw new ArgumentException($"The sorted order puts observation {prev} before {k}, against value and index order.");
            }
        }
        double prior = mus[n];
        int at = 0;
        while (at < n && !(mus[observationOrder[at]] > prior)) at++;
        var order = new int[n + 1];
        Array.Copy(observationOrder, order, at);
        order[at] = n;
        Array.Copy(observationOrder, at, order, at + 1, n - at);
        return order;
    }

    /// <summary>
    /// Indices ordered by value, ties by index (what a stable argsort gives). Sorting primitive keys is several times
    /// faster than a comparison delegate; the unstable sort's order among equal values is then fixed run by run.
    /// </summary>
    internal static int[] SortedOrder(double[] values)
    {
        int m = values.Length;
        var order = new int[m];
        for (int i = 0; i < m; i++) order[i] = i;
        double[] keys = (double[])values.Clone();
        Array.Sort(keys, order);
        for (int start = 0; start < m;)
        {
            int end = start + 1;
            while (end < m && keys[end] == keys[start]) end++;
            if (end - start > 1) Array.Sort(order, start, end - start);
            start = end;
        }
        return order;
    }
}
