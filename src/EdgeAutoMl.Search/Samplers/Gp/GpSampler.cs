using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>Settings of <see cref="GpSampler"/> (Optuna's GPSampler defaults).</summary>
public sealed record GpOptions
{
    /// <summary>COMPLETE trials sampled at random before the GP takes over (Optuna: 10).</summary>
    public int NStartupTrials { get; init; } = 10;
    /// <summary>The objective has no noise: fix the noise variance at its floor (Optuna's deterministic_objective).</summary>
    public bool DeterministicObjective { get; init; }
    /// <summary>Sobol' points scored before the local search (Optuna: 2048).</summary>
    public int PreliminarySamples { get; init; } = 2048;
    /// <summary>Local searches per suggest (Optuna: 10).</summary>
    public int LocalSearches { get; init; } = 10;
    /// <summary>Model constraints (one GP each) and weight log EI by the log probability of feasibility (Optuna ≥ 4.2).</summary>
    public bool ConsiderConstraints { get; init; } = true;
}

/// <summary>
/// Gaussian-process Bayesian optimisation (Optuna's GPSampler, Optuna ≥ 4.2 design): the joint space is the intersection
/// of the COMPLETE trials' params (single-valued params left out); those trials' params normalized to [0,1] (categoricals
/// by index, Hamming kernel dimension), the objective sign-adjusted so larger is better and standardized; a Matérn-5/2
/// ARD GP with hyperparameters fitted by MAP (warm-started from the previous suggest); next point = argmax of log EI
/// (times the probability of feasibility when trials carry constraints). Params outside the joint space, and everything
/// during the first <see cref="GpOptions.NStartupTrials"/> trials, come from a seeded <see cref="RandomSampler"/>.
/// Single objective only: a multi-objective study gets a clear error at its first Ask.
/// </summary>
public sealed class GpSampler : ISampler
{
    private readonly IntersectionSearchSpace _intersection = new();
    private readonly RandomSampler _independent;
    private readonly Random _rng;
    private readonly object _gate = new();
    private KernelParams? _kernelCache;
    private KernelParams?[] _constraintKernelCache = [];

    /// <summary>Creates the sampler; the seed drives both the random start-up and the acquisition search.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative or zero count in <paramref name="options"/>.</exception>
    public GpSampler(int? seed = null, GpOptions? options = null)
    {
        Options = options ?? new GpOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.NStartupTrials, "NStartupTrials");
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.PreliminarySamples, 1, "PreliminarySamples");
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.LocalSearches, 1, "LocalSearches");
        _rng = seed is { } s ? new Random(s) : new Random();
        _independent = new RandomSampler(seed is { } s2 ? unchecked(s2 * 31 + 7) : null);
    }

    /// <summary>The settings in use.</summary>
    public GpOptions Options { get; }

    /// <inheritdoc />
    /// <exception cref="NotSupportedException">The study has several objectives.</exception>
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        if (study.IsMultiObjective)
            throw new NotSupportedException(
                $"The gp sampler supports one objective; study '{study.Name}' has {study.Directions.Count}. Use motpe (tpe) or nsga2.");
        var space = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var (name, d) in _intersection.Calculate(study))
            if (!d.IsSingle) space[name] = d;
        return space;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return new Dictionary<string, double>();
        IReadOnlyList<FrozenTrial> trials = study.GetTrials([TrialState.Complete], useCache: true);
        if (trials.Count < Options.NStartupTrials || trials.Count == 0) return new Dictionary<string, double>();
        lock (_gate) return Suggest(study, trials, new GpSearchSpace(searchSpace));
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, paramName, distribution);

    private Dictionary<string, double> Suggest(Study study, IReadOnlyList<FrozenTrial> trials, GpSearchSpace space)
    {
        int n = trials.Count, d = space.Dimension;
        var x = new double[n][];
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[d];
            for (int j = 0; j < d; j++) x[i][j] = space.Normalize(j, trials[i].InternalParams[space.Names[j]]);
        }
        double sign = study.Direction == StudyDirection.Minimize ? -1 : 1;
        double[] score = ClipNonFinite(trials.Select(t => sign * t.Values![0]).ToArray());
        double[] y = Standardize(score, out _, out _);

        if (_kernelCache is not null && _kernelCache.InverseSquaredLengthscales.Length != d) _kernelCache = null;
        KernelParams kernel = GpRegressor.Fit(x, y, space.IsCategorical, _kernelCache, deterministic: Options.DeterministicObjective);
        _kernelCache = kernel;
        var gp = FitRegressor(x, y, space.IsCategorical, kernel);

        // Constraints: feasible trials define the incumbent; each constraint gets its own GP (Optuna ≥ 4.2).
        var constraintGps = new List<(GpRegressor, double)>();
        bool[] feasible = trials.Select(t => Constraints.IsFeasible(t)).ToArray();
        if (Options.ConsiderConstraints && trials.Any(t => t.Constraints is not null))
            constraintGps = FitConstraintGps(trials, x, space);
        double best = double.NegativeInfinity;
        int bestIndex = -1;
        for (int i = 0; i < n; i++)
            if (feasible[i] && y[i] > best) (best, bestIndex) = (y[i], i);

        var acquisition = new Acquisition(gp, best, constraintGps);
        IReadOnlyList<double[]> warm = bestIndex >= 0 ? [x[bestIndex]] : [];
        var (xBest, _) = AcquisitionOptimizer.Optimize(acquisition, space, _rng, warm, Options.PreliminarySamples, Options.LocalSearches);
        var result = new Dictionary<string, double>();
        for (int j = 0; j < d; j++) result[space.Names[j]] = space.Unnormalize(j, xBest[j]);
        return result;
    }

    private List<(GpRegressor, double)> FitConstraintGps(IReadOnlyList<FrozenTrial> trials, double[][] x, GpSearchSpace space)
    {
        int count = trials.Max(t => t.Constraints?.Count ?? 0);
        if (_constraintKernelCache.Length != count) _constraintKernelCache = new KernelParams?[count];
        var gps = new List<(GpRegressor, double)>();
        for (int c = 0; c < count; c++)
        {
            // Trials that report this constraint (normally all of them).
            var rows = new List<int>();
            for (int i = 0; i < trials.Count; i++)
                if (trials[i].Constraints is { } cs && cs.Count > c && !double.IsNaN(cs[c])) rows.Add(i);
            if (rows.Count == 0) continue;
            double[][] xc = rows.Select(i => x[i]).ToArray();
            double[] values = ClipNonFinite(rows.Select(i => trials[i].Constraints![c]).ToArray());
            double[] yc = Standardize(values, out double mean, out double std);
            KernelParams? cache = _constraintKernelCache[c];
            if (cache is not null && cache.InverseSquaredLengthscales.Length != space.Dimension) cache = null;
            KernelParams k = GpRegressor.Fit(xc, yc, space.IsCategorical, cache, deterministic: Options.DeterministicObjective);
            _constraintKernelCache[c] = k;
            // Feasible means value ≤ 0, i.e. standardized value ≤ −mean/std.
            gps.Add((FitRegressor(xc, yc, space.IsCategorical, k), -mean / std));
        }
        return gps;
    }

    // Conditioning can fail (not positive definite) for a degenerate fit: retry with the default hyperparameters and
    // a larger noise rather than fail the trial.
    private static GpRegressor FitRegressor(double[][] x, double[] y, bool[] isCategorical, KernelParams kernel)
    {
        try
        {
            return new GpRegressor(x, y, isCategorical, kernel);
        }
        catch (InvalidOperationException)
        {
            return new GpRegressor(x, y, isCategorical, KernelParams.Default(isCategorical.Length) with { NoiseVar = 1e-2 });
        }
    }

    // ±inf values (Optuna warns and clips them to the finite range).
    private static double[] ClipNonFinite(double[] v)
    {
        double[] finite = v.Where(double.IsFinite).ToArray();
        if (finite.Length == v.Length) return v;
        double lo = finite.Length > 0 ? finite.Min() : 0, hi = finite.Length > 0 ? finite.Max() : 0;
        return v.Select(t => double.IsFinite(t) ? t : Math.Clamp(t, lo, hi)).ToArray();
    }

    // (v − mean)/max(1e-10, std) with the population std, as Optuna.
    private static double[] Standardize(double[] v, out double mean, out double std)
    {
        double m = v.Average();
        double s = Math.Sqrt(v.Select(t => (t - m) * (t - m)).Average());
        mean = m;
        std = Math.Max(1e-10, s);
        double sd = std;
        return v.Select(t => (t - m) / sd).ToArray();
    }
}
