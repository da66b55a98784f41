using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// Exhaustive search over a given grid (Optuna's GridSampler). The grid is the Cartesian product of each param's
/// values, params ordered by name. Each new trial takes a random grid point not yet finished or running (trial system
/// attrs <c>grid_id</c> and <c>search_space</c>, as Optuna writes them, so workers sharing a storage split the grid);
/// once every point is taken, points are revisited at random and <see cref="Study.Stop"/> is called.
/// </summary>
public sealed class GridSampler : ISampler
{
    /// <summary>Trial system attr: index of the grid point.</summary>
    public const string GridIdKey = "grid_id";
    /// <summary>Trial system attr: the grid itself (to tell grids of different samplers apart).</summary>
    public const string SearchSpaceKey = "search_space";

    private readonly SortedDictionary<string, object?[]> _space;
    private readonly string[] _names;
    private readonly int _gridCount;
    private readonly Random _rng;
    private readonly object _gate = new();
    private readonly Dictionary<int, int> _assigned = [];

    /// <summary>Creates the sampler.</summary>
    /// <param name="searchSpace">Values of each param (null, bool, string, integers or floats).</param>
    /// <param name="seed">Seed of the order in which grid points are visited.</param>
    /// <exception cref="ArgumentException">An empty value list or an unsupported value type.</exception>
    public GridSampler(IReadOnlyDictionary<string, object?[]> searchSpace, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(searchSpace);
        _space = new SortedDictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var (name, values) in searchSpace)
        {
            if (values.Length == 0) throw new ArgumentException($"Grid param '{name}' has no values.");
            foreach (object? v in values)
                if (v is not (null or string or bool or int or long or double or float))
                    throw new ArgumentException($"Grid param '{name}' has a value of type {v.GetType().Name}; use str, int, float, bool or null.");
            _space[name] = values.ToArray();
        }
        _names = _space.Keys.ToArray();
        _gridCount = _space.Values.Aggregate(1, (n, v) => checked(n * v.Length));
        _rng = seed is { } s ? new Random(s) : new Random();
    }

    /// <summary>Number of grid points.</summary>
    public int GridCount => _gridCount;

    /// <summary>The values of grid point <paramref name="gridId"/>, by param name (last param varies fastest).</summary>
    public IReadOnlyDictionary<string, object?> GridPoint(int gridId)
    {
        var result = new Dictionary<string, object?>();
        for (int i = _names.Length - 1; i >= 0; i--)
        {
            object?[] values = _space[_names[i]];
            result[_names[i]] = values[gridId % values.Length];
            gridId /= values.Length;
        }
        return result;
    }

    /// <inheritdoc />
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        if (trial.SystemAttrs.ContainsKey(GridIdKey) || trial.SystemAttrs.ContainsKey(Trial.FixedParamsKey)) return;
        List<int> targets = Unvisited(study);
        if (targets.Count == 0) targets = Enumerable.Range(0, _gridCount).ToList(); // exhausted: re-evaluate
        int gridId;
        lock (_gate)
        {
            gridId = targets[_rng.Next(targets.Count)];
            _assigned[trial.TrialId] = gridId;
        }
        study.Storage.SetTrialSystemAttr(trial.TrialId, SearchSpaceKey, SpaceAsJson());
        study.Storage.SetTrialSystemAttr(trial.TrialId, GridIdKey, (long)gridId);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The param is not in the grid, or an enqueued trial misses a grid param.</exception>
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution)
    {
        int gridId;
        lock (_gate)
        {
            if (!_assigned.TryGetValue(trial.TrialId, out gridId))
                gridId = trial.SystemAttrs.GetValueOrDefault(GridIdKey) is long g ? (int)g
                    : throw new ArgumentException("All parameters must be specified when using GridSampler with EnqueueTrial.");
        }
        if (!_space.ContainsKey(paramName))
            throw new ArgumentException($"The parameter name, {paramName}, is not found in the given grid.");
        return distribution.ToInternal(GridPoint(gridId)[paramName]);
    }

    /// <inheritdoc />
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values)
    {
        int? mine;
        lock (_gate) mine = _assigned.Remove(trial.TrialId, out int g) ? g : null;
        List<int> targets = Unvisited(study);
        // This trial is not finished in storage yet: it still counts as running.
        if (targets.Count == 0 || (targets.Count == 1 && mine == targets[0])) study.Stop();
    }

    // Grid points not finished and not running (or, when all are running, not finished) by a trial with this grid.
    private List<int> Unvisited(Study study)
    {
        var visited = new HashSet<int>();
        var running = new HashSet<int>();
        foreach (FrozenTrial t in study.GetTrials(null, useCache: false))
        {
            if (t.SystemAttrs.GetValueOrDefault(GridIdKey) is not long g || !SameSpace(t.SystemAttrs.GetValueOrDefault(SearchSpaceKey))) continue;
            if (t.State.IsFinished()) visited.Add((int)g);
            else if (t.State == TrialState.Running) running.Add((int)g);
        }
        var free = Enumerable.Range(0, _gridCount).Where(i => !visited.Contains(i) && !running.Contains(i)).ToList();
        return free.Count > 0 ? free : Enumerable.Range(0, _gridCount).Where(i => !visited.Contains(i)).ToList();
    }

    private Dictionary<string, object?> SpaceAsJson() => _space.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.ToList());

    private bool SameSpace(object? stored)
    {
        if (stored is not IReadOnlyDictionary<string, object?> map || map.Count != _space.Count) return false;
        foreach (var (name, values) in _space)
        {
            if (!map.TryGetValue(name, out object? raw) || raw is not List<object?> list || list.Count != values.Length) return false;
            for (int i = 0; i < values.Length; i++)
                if (!SameValue(list[i], values[i])) return false;
        }
        return true;
    }

    // JSON turns ints into long and floats into double: compare numbers by value, NaN equal to NaN.
    private static bool SameValue(object? a, object? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is bool || b is bool || a is string || b is string) return a.Equals(b);
        double x = Convert.ToDouble(a), y = Convert.ToDouble(b);
        return x == y || (double.IsNaN(x) && double.IsNaN(y));
    }
}
