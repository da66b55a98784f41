using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search;

/// <summary>
/// A running trial handed to the objective (Optuna's Trial). Every suggested param is written to
/// storage before the suggest call returns, so a killed process loses nothing already decided.
/// Not thread-safe: one trial belongs to one objective call.
/// </summary>
public sealed class Trial
{
    /// <summary>System attr holding params fixed by <see cref="Study.EnqueueTrial"/> (external values), as Optuna names it.</summary>
    public const string FixedParamsKey = "fixed_params";

    private readonly Study _study;
    private FrozenTrial _base;
    // Params suggested since _base was last materialised, in suggestion order. Copying the trial's dictionaries on every
    // suggest made a trial with p params cost O(p²); now a snapshot is built only when someone reads it.
    private readonly Dictionary<string, (double Value, Distribution Distribution)> _added = [];

    // The trial as suggested so far (what the old immutable-per-suggest field held).
    private FrozenTrial Current
    {
        get
        {
            if (_added.Count > 0)
            {
                var values = new Dictionary<string, double>(_base.InternalParams);
                var dists = new Dictionary<string, Distribution>(_base.Distributions);
                foreach (var (name, (v, d)) in _added)
                {
                    values[name] = v;
                    dists[name] = d;
                }
                _base = _base with { InternalParams = values, Distributions = dists };
                _added.Clear();
            }
            return _base;
        }
        set
        {
            _base = value;
            _added.Clear();
        }
    }
    private readonly IReadOnlyDictionary<string, Distribution> _relativeSpace;
    private readonly IReadOnlyDictionary<string, double> _relativeParams;
    private readonly IReadOnlyDictionary<string, object?>? _fixedParams;

    internal Trial(Study study, int trialId)
    {
        _study = study;
        _base = study.Storage.GetTrial(trialId);
        _fixedParams = Current.SystemAttrs.GetValueOrDefault(FixedParamsKey) as IReadOnlyDictionary<string, object?>;
        study.Sampler.BeforeTrial(study, Current);
        _relativeSpace = study.Sampler.InferRelativeSearchSpace(study, Current);
        _relativeParams = _relativeSpace.Count == 0
            ? new Dictionary<string, double>()
            : study.Sampler.SampleRelative(study, Current, _relativeSpace);
    }

    /// <summary>The study this trial belongs to.</summary>
    public Study Study => _study;
    /// <summary>Storage id.</summary>
    public int TrialId => _base.TrialId;
    /// <summary>0-based number within the study.</summary>
    public int Number => _base.Number;
    /// <summary>Params suggested so far (external values).</summary>
    public IReadOnlyDictionary<string, object?> Params => Current.Params;
    /// <summary>Distributions of the params suggested so far.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions => Current.Distributions;
    /// <summary>User attrs set so far.</summary>
    public IReadOnlyDictionary<string, object?> UserAttrs => Current.UserAttrs;
    /// <summary>System attrs set so far.</summary>
    public IReadOnlyDictionary<string, object?> SystemAttrs => Current.SystemAttrs;
    /// <summary>Values reported so far, by step.</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues => Current.IntermediateValues;
    /// <summary>When the trial started.</summary>
    public DateTime? DatetimeStart => _base.DatetimeStart;

    /// <summary>An integer in [low, high] on a grid of <paramref name="step"/>, optionally log-scaled.</summary>
    public int SuggestInt(string name, int low, int high, int step = 1, bool log = false) =>
        checked((int)Math.Round(Suggest(name, new IntDistribution(low, high, step, log))));

    /// <summary>A real in [low, high], optionally on a grid of <paramref name="step"/> or log-scaled.</summary>
    public double SuggestFloat(string name, double low, double high, double? step = null, bool log = false) =>
        Suggest(name, new FloatDistribution(low, high, step, log));

    /// <summary>One of <paramref name="choices"/> (null, bool, string, integers or floats).</summary>
    public T SuggestCategorical<T>(string name, T[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var distribution = new CategoricalDistribution(choices.Cast<object?>());
        return choices[(int)Suggest(name, distribution)];
    }

    /// <summary>
    /// Reports an intermediate objective value (single-objective studies only). As in Optuna, a second
    /// report for the same step is ignored.
    /// </summary>
    public void Report(double value, int step)
    {
        if (_study.Directions.Count > 1)
            throw new InvalidOperationException("Report is not supported for multi-objective studies (as in Optuna).");
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), "step must be >= 0.");
        if (Current.IntermediateValues.ContainsKey(step)) return;
        _study.Storage.SetTrialIntermediateValue(TrialId, step, value);
        Current = Current with { IntermediateValues = With(Current.IntermediateValues, step, value) };
    }

    /// <summary>
    /// Asks the study's pruner whether to stop now (Optuna's should_prune), from a fresh snapshot of the trial as
    /// stored. Call it after <see cref="Report"/>; when true, throw <see cref="TrialPrunedException"/> (Optimize records
    /// PRUNED) or call <c>Study.Tell(trial, TrialState.Pruned)</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">Multi-objective study (Optuna does not prune those either).</exception>
    public bool ShouldPrune()
    {
        if (_study.Directions.Count > 1)
            throw new NotSupportedException("ShouldPrune is not supported for multi-objective studies (as in Optuna).");
        bool prune = _study.Pruner.Prune(_study, _study.Storage.GetTrial(TrialId));
        // Pruners may record system attrs (successive halving's rungs): keep this object in step with storage.
        Current = _study.Storage.GetTrial(TrialId);
        return prune;
    }

    /// <summary>Stores a user attribute (any JSON value).</summary>
    public void SetUserAttr(string key, object? value)
    {
        _study.Storage.SetTrialUserAttr(TrialId, key, value);
        Current = Current with { UserAttrs = With(Current.UserAttrs, key, value) };
    }

    /// <summary>Stores a system attribute (any JSON value).</summary>
    public void SetSystemAttr(string key, object? value)
    {
        _study.Storage.SetTrialSystemAttr(TrialId, key, value);
        Current = Current with { SystemAttrs = With(Current.SystemAttrs, key, value) };
    }

    /// <summary>
    /// Stores constraint values (≤ 0 satisfied), as Optuna's constraints_func result in system attr
    /// <c>constraints</c>. Feasible trials dominate infeasible ones in <see cref="Study.BestTrials"/> and TPE.
    /// </summary>
    public void SetConstraints(params double[] constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        SetSystemAttr(Constraints.SystemAttrKey, constraints.ToList());
    }

    private Timer? _heartbeat;

    // Beats until the trial is told; a failed beat is ignored (the grace period absorbs a missed one or two).
    internal void StartHeartbeat(IHeartbeatStorage storage, TimeSpan interval)
    {
        _heartbeat = new Timer(_ =>
        {
            try { storage.RecordHeartbeat(TrialId); }
            catch (Exception) { /* transient storage error: next beat retries */ }
        }, null, interval, interval);
    }

    internal void StopHeartbeat()
    {
        Timer? t = Interlocked.Exchange(ref _heartbeat, null);
        if (t is null) return;
        using var done = new ManualResetEvent(false);
        // Wait for an in-flight beat so none lands after the final state.
        if (t.Dispose(done)) done.WaitOne(TimeSpan.FromSeconds(30));
    }

    /// <summary>The trial as the sampler sees it right now.</summary>
    public FrozenTrial Snapshot() => Current;

    private double Suggest(string name, Distribution distribution)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        // Optuna returns the earlier value when a name is suggested twice in one trial.
        if (_added.TryGetValue(name, out var added))
        {
            StorageRules.CheckCompatible(name, added.Distribution, distribution);
            return added.Value;
        }
        if (_base.Distributions.TryGetValue(name, out Distribution? existing))
        {
            StorageRules.CheckCompatible(name, existing, distribution);
            return _base.InternalParams[name];
        }

        double value;
        if (_fixedParams is not null && _fixedParams.TryGetValue(name, out object? fixedValue))
        {
            try { value = distribution.ToInternal(fixedValue); }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"Enqueued value for param '{name}' does not fit {distribution.ToJson()}: {e.Message}", e);
            }
        }
        else if (distribution.IsSingle)
            value = distribution is CategoricalDistribution ? 0 : distribution.ToInternal(LowOf(distribution));
        else if (_relativeParams.TryGetValue(name, out double relative) &&
                 _relativeSpace.TryGetValue(name, out Distribution? relDist) && relDist.Equals(distribution))
            value = relative;
        else
            value = _study.Sampler.SampleIndependent(_study, Current, name, distribution);

        _study.Storage.SetTrialParam(TrialId, name, value, distribution);
        _added[name] = (value, distribution);
        return value;
    }

    private static object LowOf(Distribution d) => d switch
    {
        IntDistribution i => i.Low,
        FloatDistribution f => f.Low,
        _ => throw new ArgumentException(d.OptunaName),
    };

    private static Dictionary<TKey, TValue> With<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> source, TKey key, TValue value)
        where TKey : notnull
    {
        var copy = source.ToDictionary(kv => kv.Key, kv => kv.Value);
        copy[key] = value;
        return copy;
    }
}
