using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search;

/// <summary>
/// A snapshot of a trial as stored (Optuna's FrozenTrial). Params are kept in the internal
/// representation together with their distributions; <see cref="Params"/> gives the external values.
/// Also used as the template for <see cref="IStorage.CreateNewTrial"/> (enqueue, copying trials).
/// </summary>
public sealed record FrozenTrial
{
    private IReadOnlyDictionary<string, object?>? _params;

    /// <summary>Storage-wide id (0 in templates).</summary>
    public int TrialId { get; init; }
    /// <summary>0-based number of the trial within its study.</summary>
    public int Number { get; init; }
    /// <summary>Lifecycle state.</summary>
    public TrialState State { get; init; } = TrialState.Running;
    /// <summary>One value per objective for COMPLETE trials (and PRUNED ones that reported); otherwise null.</summary>
    public IReadOnlyList<double>? Values { get; init; }
    /// <summary>When the trial started RUNNING (local time, as Optuna writes it).</summary>
    public DateTime? DatetimeStart { get; init; }
    /// <summary>When the trial finished.</summary>
    public DateTime? DatetimeComplete { get; init; }
    /// <summary>Distribution of each param.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions { get; init; } = new Dictionary<string, Distribution>();
    /// <summary>Param values in internal representation (categorical: choice index).</summary>
    public IReadOnlyDictionary<string, double> InternalParams
    {
        get => _internalParams;
        init { _internalParams = value; _params = null; }
    }
    private readonly IReadOnlyDictionary<string, double> _internalParams = new Dictionary<string, double>();
    /// <summary>User attributes (JSON values: null, bool, long, double, string, list, dictionary).</summary>
    public IReadOnlyDictionary<string, object?> UserAttrs { get; init; } = new Dictionary<string, object?>();
    /// <summary>System attributes (e.g. <c>fixed_params</c>, <c>constraints</c>, <c>fail_reason</c>).</summary>
    public IReadOnlyDictionary<string, object?> SystemAttrs { get; init; } = new Dictionary<string, object?>();
    /// <summary>Values reported with <see cref="Trial.Report"/>, by step.</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues { get; init; } = new Dictionary<int, double>();

    /// <summary>External param values (long for ints, double for floats, the choice for categoricals).</summary>
    public IReadOnlyDictionary<string, object?> Params =>
        _params ??= InternalParams.ToDictionary(kv => kv.Key, kv => Distributions[kv.Key].ToExternal(kv.Value));

    /// <summary>The single objective value.</summary>
    /// <exception cref="InvalidOperationException">No values, or more than one objective.</exception>
    public double Value => Values switch
    {
        null => throw new InvalidOperationException($"Trial {Number} has no value (state {State})."),
        { Count: 1 } v => v[0],
        _ => throw new InvalidOperationException($"Trial {Number} has {Values.Count} values; use Values for multi-objective studies."),
    };

    /// <summary>Constraint values stored by <see cref="Trial.SetConstraints"/>; ≤ 0 means satisfied. Null if never set.</summary>
    public IReadOnlyList<double>? Constraints => Search.Constraints.Read(SystemAttrs);

    /// <summary>True if constraints were set and all are ≤ 0, or none were set.</summary>
    public bool IsFeasible => Search.Constraints.IsFeasible(this);

    /// <summary>Largest step reported, or null.</summary>
    public int? LastStep => IntermediateValues.Count == 0 ? null : IntermediateValues.Keys.Max();
}
