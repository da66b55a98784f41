using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Nsga2;

/// <summary>
/// NSGA-II (Optuna's NSGAIISampler). Each trial belongs to a generation (system attr <c>nsga2:generation</c>); once a
/// generation has <see cref="Nsga2Options.PopulationSize"/> COMPLETE trials, it and the previous parents are reduced to
/// the next parent population by rank and crowding distance. A child is bred by binary-tournament selection of two
/// parents and uniform crossover (probability <see cref="Nsga2Options.CrossoverProb"/>, else a copy of one parent),
/// then each param mutates (is re-drawn at random) with probability 1/n_params. The first generation and params
/// outside the joint search space are sampled at random. Deterministic for a given seed and call order.
/// </summary>
public sealed class Nsga2Sampler : ISampler
{
    /// <summary>Trial system attr holding the generation (Optuna's key).</summary>
    public const string GenerationKey = "nsga2:generation";

    private readonly Random _rng;
    private readonly RandomSampler _independent;
    private readonly IntersectionSearchSpace _searchSpace = new();
    private readonly object _gate = new();
    // Parents chosen for a trial when it started, used when its relative sample is drawn.
    private readonly Dictionary<int, (int Generation, List<FrozenTrial> Parents)> _pending = [];
    // Elite population per generation, with the number of completed trials it was computed from.
    private readonly Dictionary<int, (int Completed, List<FrozenTrial> Elite)> _eliteCache = [];

    /// <summary>Creates the sampler with Optuna's defaults unless <paramref name="options"/> says otherwise.</summary>
    public Nsga2Sampler(int? seed = null, Nsga2Options? options = null)
    {
        Options = options ?? new Nsga2Options();
        Options.Validate();
        _rng = seed is { } s ? new Random(s) : new Random();
        // A separate stream for mutations/first generation, so crossover draws do not shift with param counts.
        _independent = new RandomSampler(seed is { } t ? unchecked(t * 31 + 17) : null);
    }

    /// <summary>The settings in use.</summary>
    public Nsga2Options Options { get; }

    /// <inheritdoc />
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        var (generation, parents) = ParentPopulation(study);
        study.Storage.SetTrialSystemAttr(trial.TrialId, GenerationKey, (long)(generation + 1));
        lock (_gate) _pending[trial.TrialId] = (generation, parents);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        IReadOnlyDictionary<string, Distribution> space = _searchSpace.Calculate(study);
        lock (_gate)
        {
            // Calculate returns the same instance while the space is unchanged: filter it once.
            if (!ReferenceEquals(space, _spaceSeen) || _relativeSpace is null)
            {
                _relativeSpace = space.Where(kv => !kv.Value.IsSingle).ToDictionary(kv => kv.Key, kv => kv.Value);
                _spaceSeen = space;
            }
            return _relativeSpace;
        }
    }

    private IReadOnlyDictionary<string, Distribution>? _spaceSeen;
    private Dictionary<string, Distribution>? _relativeSpace;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial,
        IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        lock (_gate)
        {
            if (!_pending.Remove(trial.TrialId, out var entry)) entry = ParentPopulation(study);
            if (entry.Generation < 0) return new Dictionary<string, double>(); // first generation: random
            List<FrozenTrial> parents = entry.Parents;
            bool constrained = UsesConstraints(parents);
            string[] names = searchSpace.Keys.ToArray();
            Dictionary<string, double> child;
            if (_rng.NextDouble() < Options.CrossoverProb)
            {
                FrozenTrial p0 = Tournament(parents, null, study.Directions, constrained);
                FrozenTrial p1 = Tournament(parents, p0, study.Directions, constrained);
                // Uniform crossover: each param from the first parent with probability swapping_prob.
                child = names.ToDictionary(n => n, n => (_rng.NextDouble() >= Options.SwappingProb ? p1 : p0).InternalParams[n]);
            }
            else
            {
                FrozenTrial p = parents[_rng.Next(parents.Count)];
                child = names.ToDictionary(n => n, n => p.InternalParams[n]);
            }
            double mutation = Options.MutationProb ?? 1.0 / Math.Max(1, child.Count);
            // Params left out are "mutated": Trial falls back to SampleIndependent (uniform) for them.
            return child.Where(_ => _rng.NextDouble() >= mutation).ToDictionary(kv => kv.Key, kv => kv.Value);
        }
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution) =>
        _independent.SampleIndependent(study, trial, paramName, distribution);

    /// <inheritdoc />
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        lock (_gate) _pending.Remove(trial.TrialId);
    }

    // Binary tournament among the parents (excluding an already chosen one): draw two, keep the dominating one.
    private FrozenTrial Tournament(List<FrozenTrial> parents, FrozenTrial? exclude, IReadOnlyList<StudyDirection> directions, bool constrained)
    {
        List<FrozenTrial> pool = exclude is null ? parents : parents.Where(t => t.TrialId != exclude.TrialId).ToList();
        FrozenTrial c0 = pool[_rng.Next(pool.Count)], c1 = pool[_rng.Next(pool.Count)];
        return EliteSelection.Dominates(c0, c1, directions, constrained) ? c0 : c1;
    }

    private static readonly TrialState[] CompleteOnly = [TrialState.Complete];

    /// <summary>
    /// Keep the per-generation index of COMPLETE trials between trials. On by default; off only to check that the
    /// incremental index breeds exactly what a rebuild from all trials does.
    /// </summary>
    internal bool CacheGenerations { get; init; } = true;

    // COMPLETE trials by generation, each list in trial-number order, and the ids already filed. A COMPLETE trial
    // never changes, so each is filed once; only the newly finished ones cost anything on the next Ask.
    private readonly Dictionary<int, List<FrozenTrial>> _generations = [];
    private readonly HashSet<int> _filed = [];
    private int? _indexedStudy;
    private int _readCount, _readLastId = -1;

    private Dictionary<int, List<FrozenTrial>> IndexGenerations(int studyId, IReadOnlyList<FrozenTrial> complete)
    {
        if (_indexedStudy != studyId)
        {
            _generations.Clear();
            _filed.Clear();
            _indexedStudy = studyId;
            _readCount = 0;
        }
        if (_filed.Count == complete.Count) return _generations; // nothing finished since the last look
        // Number-ordered and COMPLETE for good: if the last trial read before is still in its place, only what follows
        // it is new (a trial completing out of order shifts it, and then the ids filed tell what is new).
        int from = _readCount > 0 && complete.Count >= _readCount && complete[_readCount - 1].TrialId == _readLastId ? _readCount : 0;
        _readCount = complete.Count;
        _readLastId = complete.Count > 0 ? complete[^1].TrialId : -1;
        for (int i = from; i < complete.Count; i++)
        {
            FrozenTrial t = complete[i];
            if (!_filed.Add(t.TrialId) || t.SystemAttrs.GetValueOrDefault(GenerationKey) is not long g) continue;
            if (!_generations.TryGetValue((int)g, out var list)) _generations[(int)g] = list = [];
            // Trials may finish out of order (several workers): keep number order, as a rebuild would.
            int at = list.Count;
            while (at > 0 && list[at - 1].Number > t.Number) at--;
            list.Insert(at, t);
        }
        return _generations;
    }

    private static Dictionary<int, List<FrozenTrial>> BuildGenerations(IReadOnlyList<FrozenTrial> complete)
    {
        var byGeneration = new Dictionary<int, List<FrozenTrial>>();
        foreach (FrozenTrial t in complete)
        {
            if (t.SystemAttrs.GetValueOrDefault(GenerationKey) is not long g) continue;
            if (!byGeneration.TryGetValue((int)g, out var list)) byGeneration[(int)g] = list = [];
            list.Add(t);
        }
        return byGeneration;
    }

    private bool UsesConstraints(IEnumerable<FrozenTrial> trials) => Options.ConsiderConstraints && trials.Any(t => t.Constraints is not null);

    // Walks the generations from 0: each full generation (≥ population size COMPLETE trials) merged with the previous
    // parents yields the next parents. Returns the last full generation (−1 if none) and its elite.
    private (int Generation, List<FrozenTrial> Parents) ParentPopulation(Study study)
    {
        IReadOnlyList<FrozenTrial> complete = study.GetTrials(CompleteOnly, useCache: true);
        lock (_gate)
        {
            Dictionary<int, List<FrozenTrial>> byGeneration = CacheGenerations
                ? IndexGenerations(study.StudyId, complete)
                : BuildGenerations(complete);
            int parentGeneration = -1;
            List<FrozenTrial> parents = [];
            while (byGeneration.TryGetValue(parentGeneration + 1, out var population) && population.Count >= Options.PopulationSize)
            {
                int generation = parentGeneration + 1;
                if (_eliteCache.TryGetValue(generation, out var cached) && cached.Completed == population.Count)
                    parents = cached.Elite;
                else
                {
                    var pool = population.Concat(parents).ToList();
                    parents = EliteSelection.Select(pool, Options.PopulationSize, study.Directions, UsesConstraints(pool));
                    _eliteCache[generation] = (population.Count, parents);
                    // Later generations were built on the old elite: recompute them too.
                    foreach (int later in _eliteCache.Keys.Where(k => k > generation).ToList()) _eliteCache.Remove(later);
                }
                parentGeneration = generation;
            }
            return (parentGeneration, parents);
        }
    }
}
