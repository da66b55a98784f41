using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Qmc;

/// <summary>
/// Quasi-Monte Carlo sampling with a Sobol' sequence (Optuna's QMCSampler, qmc_type "sobol"). The joint space is the
/// numeric params of the study's first finished trial (categoricals and params that appear later are sampled by the
/// independent <see cref="RandomSampler"/>, as in Optuna). The sequence index is a counter in the study system attrs
/// (<c>"sobol (scramble=False)'s last sample id"</c>, Optuna's key), so workers sharing a storage continue one sequence.
/// Optuna's default is scramble=false; with scrambling every worker must use the same seed.
/// </summary>
public sealed class QmcSampler : ISampler
{
    private static readonly TrialState[] SuggestedStates = [TrialState.Complete, TrialState.Pruned];
    private readonly RandomSampler _independent;
    private readonly object _gate = new();
    private IReadOnlyDictionary<string, Distribution>? _initialSpace;
    private SobolSequence? _sequence;

    /// <summary>Creates the sampler.</summary>
    /// <param name="scramble">Scramble the sequence (Optuna default: false).</param>
    /// <param name="seed">Seed of the scrambling and of the independent sampler.</param>
    public QmcSampler(bool scramble = false, int? seed = null)
    {
        Scramble = scramble;
        Seed = seed ?? Random.Shared.Next();
        _independent = new RandomSampler(seed);
    }

    /// <summary>Whether the sequence is scrambled.</summary>
    public bool Scramble { get; }
    /// <summary>Scrambling seed (random when none was given).</summary>
    public int Seed { get; }

    /// <summary>Study system attr holding the last sequence index used.</summary>
    public string SampleIdKey => Scramble ? $"sobol (scramble=True, seed={Seed})'s last sample id" : "sobol (scramble=False)'s last sample id";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        lock (_gate)
        {
            if (_initialSpace is not null) return _initialSpace;
            IReadOnlyList<FrozenTrial> past = study.GetTrials(SuggestedStates, useCache: true);
            if (past.Count == 0) return new Dictionary<string, Distribution>();
            FrozenTrial first = past.MinBy(t => t.Number)!;
            _initialSpace = new SortedDictionary<string, Distribution>(
                first.Distributions.Where(kv => kv.Value is not CategoricalDistribution).ToDictionary(kv => kv.Key, kv => kv.Value),
                StringComparer.Ordinal);
            return _initialSpace;
        }
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return new Dictionary<string, double>();
        long sampleId = NextSampleId(study);
        double[] u;
        lock (_gate)
        {
            if (_sequence is null || _sequence.Dimension != searchSpace.Count)
                _sequence = new SobolSequence(searchSpace.Count, Scramble, Seed);
            u = _sequence.Point(sampleId);
        }
        var result = new Dictionary<string, double>();
        int i = 0;
        foreach (var (name, d) in searchSpace.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var (lo, hi) = SearchSpaceTransform.Bounds(d);
            result[name] = SearchSpaceTransform.Untransform(d, lo + u[i++] * (hi - lo));
        }
        return result;
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, paramName, distribution);

    // Read-increment-write of the shared counter (Optuna does the same, without a lock across processes).
    private long NextSampleId(Study study)
    {
        string key = SampleIdKey;
        long id = study.Storage.GetStudySystemAttrs(study.StudyId).GetValueOrDefault(key) is long last ? last + 1 : 0;
        study.Storage.SetStudySystemAttr(study.StudyId, key, id);
        return id;
    }
}
