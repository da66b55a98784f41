using EdgeAutoMl.Search.MultiObjective;
using EdgeAutoMl.Search.Pruners;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search;

/// <summary>
/// An optimisation study (Optuna's Study): ask/tell, optimize, enqueue, best trials. All state lives in
/// the <see cref="IStorage"/>, so several Study objects (or processes) can work on one study.
/// </summary>
public sealed class Study
{
    /// <summary>System attr with the failure message of a FAIL trial.</summary>
    public const string FailReasonKey = "fail_reason";

    private IReadOnlyList<FrozenTrial>? _cachedTrials;
    // Filtered views of _cachedTrials, keyed by the bit set of states; cleared with it.
    private readonly Dictionary<int, IReadOnlyList<FrozenTrial>> _filteredTrials = [];
    private volatile bool _stopRequested;
    private readonly object _cacheGate = new();

    private Study(IStorage storage, int studyId, string name, IReadOnlyList<StudyDirection> directions, ISampler sampler,
        IPruner? pruner)
    {
        Pruner = pruner ?? new MedianPruner();
        Storage = storage;
        StudyId = studyId;
        Name = name;
        Directions = directions;
        Sampler = sampler;
    }

    /// <summary>Where the study lives.</summary>
    public IStorage Storage { get; }
    /// <summary>Storage id of the study.</summary>
    public int StudyId { get; }
    /// <summary>Study name (unique in the storage).</summary>
    public string Name { get; }
    /// <summary>One direction per objective.</summary>
    public IReadOnlyList<StudyDirection> Directions { get; }
    /// <summary>The sampler proposing params.</summary>
    public ISampler Sampler { get; }
    /// <summary>The pruner consulted by <see cref="Trial.ShouldPrune"/> (Optuna's default: <see cref="MedianPruner"/>).</summary>
    public IPruner Pruner { get; }
    /// <summary>True with more than one objective.</summary>
    public bool IsMultiObjective => Directions.Count > 1;

    /// <summary>The direction of a single-objective study.</summary>
    public StudyDirection Direction => IsMultiObjective
        ? throw new InvalidOperationException("This study has several objectives; use Directions.")
        : Directions[0];

    /// <summary>
    /// Creates a study (Optuna's create_study). The default sampler is <see cref="TpeSampler"/> (multi-objective TPE for
    /// several directions). With <paramref name="loadIfExists"/>, an existing study of that name is loaded instead.
    /// </summary>
    /// <exception cref="DuplicatedStudyException">The name exists and loadIfExists is false.</exception>
    /// <exception cref="ArgumentException">No directions, or loading a study whose directions differ.</exception>
    public static Study Create(IStorage storage, string name, StudyDirection[] directions, ISampler? sampler = null,
        bool loadIfExists = false, IPruner? pruner = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (directions is null || directions.Length == 0)
            throw new ArgumentException("A study needs at least one direction.", nameof(directions));
        int id;
        try
        {
            id = storage.CreateNewStudy(directions, name);
        }
        catch (DuplicatedStudyException) when (loadIfExists)
        {
            Study existing = Load(storage, name, sampler, pruner);
            if (!existing.Directions.SequenceEqual(directions))
                throw new ArgumentException(
                    $"Study '{name}' exists with directions [{string.Join(", ", existing.Directions)}], not [{string.Join(", ", directions)}].");
            return existing;
        }
        return new Study(storage, id, name, directions.ToArray(), sampler ?? new TpeSampler(), pruner);
    }

    /// <summary>Creates a single-objective study.</summary>
    public static Study Create(IStorage storage, string name, StudyDirection direction = StudyDirection.Minimize,
        ISampler? sampler = null, bool loadIfExists = false, IPruner? pruner = null) =>
        Create(storage, name, [direction], sampler, loadIfExists, pruner);

    /// <summary>Loads an existing study (Optuna's load_study).</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    public static Study Load(IStorage storage, string name, ISampler? sampler = null, IPruner? pruner = null)
    {
        int id = storage.GetStudyIdFromName(name);
        return new Study(storage, id, name, storage.GetStudyDirections(id), sampler ?? new TpeSampler(), pruner);
    }

    /// <summary>All trials, ordered by number.</summary>
    public IReadOnlyList<FrozenTrial> Trials => GetTrials();

    /// <summary>Trials in the given states (all when none given), fresh from storage.</summary>
    public IReadOnlyList<FrozenTrial> GetTrials(params TrialState[] states) =>
        Storage.GetAllTrials(StudyId, states.Length == 0 ? null : states);

    /// <summary>
    /// Trials for samplers: with <paramref name="useCache"/> a snapshot taken once per Ask/Tell of this object,
    /// so a sampler sampling many params does not reread storage for each one.
    /// </summary>
    public IReadOnlyList<FrozenTrial> GetTrials(IReadOnlyCollection<TrialState>? states, bool useCache)
    {
        if (!useCache)
        {
            IReadOnlyList<FrozenTrial> fresh = Storage.GetAllTrials(StudyId);
            return states is null ? fresh : fresh.Where(t => states.Contains(t.State)).ToList();
        }
        lock (_cacheGate)
        {
            IReadOnlyList<FrozenTrial> all = _cachedTrials ??= Storage.GetAllTrials(StudyId);
            if (states is null) return all;
            // Samplers ask for the same filter once per param (TPE) or per hook (NSGA-II): filter once per snapshot.
            int mask = 0;
            foreach (TrialState s in states) mask |= 1 << (int)s;
            if (!_filteredTrials.TryGetValue(mask, out IReadOnlyList<FrozenTrial>? filtered))
            {
                var list = new List<FrozenTrial>();
                foreach (FrozenTrial t in all)
                    if ((mask & (1 << (int)t.State)) != 0) list.Add(t);
                _filteredTrials[mask] = filtered = list;
            }
            return filtered;
        }
    }

    /// <summary>Starts a trial: claims an enqueued (WAITING) one if any, else creates a new RUNNING one.</summary>
    public Trial Ask()
    {
        InvalidateCache();
        int trialId = Storage.ClaimWaitingTrial(StudyId) ?? Storage.CreateNewTrial(StudyId);
        // Beat before the sampler runs: a slow sampler must not make a fresh trial look stale.
        if (Storage is IHeartbeatStorage { HeartbeatInterval: { } interval } hb) hb.RecordHeartbeat(trialId);
        var trial = new Trial(this, trialId);
        if (Storage is IHeartbeatStorage { HeartbeatInterval: { } every } beats) trial.StartHeartbeat(beats, every);
        return trial;
    }

    /// <summary>
    /// Finishes a trial as COMPLETE with one value per objective. A NaN value makes the trial FAIL (as in Optuna).
    /// </summary>
    /// <exception cref="ArgumentException">Wrong number of values.</exception>
    /// <exception cref="TrialAlreadyFinishedException">The trial is already finished (e.g. failed as stale by another worker).</exception>
    public FrozenTrial Tell(Trial trial, params double[] values)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != Directions.Count)
            throw new ArgumentException(
                $"Trial {trial.Number}: the objective returned {values.Length} value(s) but the study has {Directions.Count} direction(s).");
        if (values.Any(double.IsNaN))
            return Finish(trial, TrialState.Fail, null, $"The objective returned NaN: [{string.Join(", ", values)}].");
        return Finish(trial, TrialState.Complete, values, null);
    }

    /// <summary>
    /// Finishes a trial as PRUNED or FAIL. A pruned single-objective trial keeps its last reported value as its value,
    /// as Optuna does. <paramref name="failReason"/> is stored as system attr <c>fail_reason</c>.
    /// </summary>
    public FrozenTrial Tell(Trial trial, TrialState state, string? failReason = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        IReadOnlyList<double>? values = null;
        switch (state)
        {
            case TrialState.Pruned:
                if (!IsMultiObjective && trial.IntermediateValues.Count > 0)
                {
                    double last = trial.IntermediateValues[trial.IntermediateValues.Keys.Max()];
                    if (!double.IsNaN(last)) values = [last];
                }
                break;
            case TrialState.Fail:
                break;
            default:
                throw new ArgumentException($"Tell(trial, state) takes Pruned or Fail, not {state}; use Tell(trial, values) to complete.");
        }
        return Finish(trial, state, values, failReason);
    }

    /// <summary>
    /// Runs <paramref name="nTrials"/> trials. An objective that throws <see cref="TrialPrunedException"/> gives a PRUNED
    /// trial; any other exception gives a FAIL trial whose message is stored in <c>fail_reason</c>, and the study goes on.
    /// A trial another worker failed as stale meanwhile keeps that outcome (callbacks see it as stored).
    /// <paramref name="callbacks"/> run after each finished trial (progress, early stop via the token).
    /// </summary>
    public void Optimize(Func<Trial, double[]> objective, int nTrials,
        IEnumerable<Action<Study, FrozenTrial>>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var callbackList = callbacks?.ToList() ?? [];
        _stopRequested = false;
        for (int i = 0; i < nTrials && !cancellationToken.IsCancellationRequested && !_stopRequested; i++)
        {
            // As Optuna: with heartbeats, every worker sweeps for trials whose worker died before starting its own.
            if (Storage is IHeartbeatStorage { HeartbeatInterval: not null }) FailStaleTrials();
            Trial trial = Ask();
            FrozenTrial finished;
            try
            {
                double[] values = objective(trial) ??
                    throw new InvalidOperationException("The objective returned null instead of values.");
                if (values.Length != Directions.Count)
                    TryTell(trial, TrialState.Fail,
                        $"The objective returned {values.Length} value(s) but the study has {Directions.Count} direction(s).", out finished);
                else
                    TryTell(trial, values, out finished);
            }
            catch (TrialPrunedException)
            {
                TryTell(trial, TrialState.Pruned, null, out finished);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                TryTell(trial, TrialState.Fail, $"{e.GetType().Name}: {e.Message}", out finished);
            }
            foreach (Action<Study, FrozenTrial> callback in callbackList) callback(this, finished);
        }
    }

    /// <summary>
    /// <see cref="Tell(Trial, double[])"/> unless the trial is already finished: another worker's sweep may have failed
    /// it as stale (this process was starved past the heartbeat grace period) and re-queued its params. Then the values
    /// here are dropped, the trial stays as the sweep left it (<paramref name="stored"/>), and the retry runs wherever it
    /// is claimed. Returns whether this call finished the trial.
    /// </summary>
    public bool TryTell(Trial trial, double[] values, out FrozenTrial stored) =>
        TellUnlessFinished(trial, () => Tell(trial, values), out stored);

    /// <summary><see cref="Tell(Trial, TrialState, string?)"/> unless the trial is already finished (see <see cref="TryTell(Trial, double[], out FrozenTrial)"/>).</summary>
    public bool TryTell(Trial trial, TrialState state, string? failReason, out FrozenTrial stored) =>
        TellUnlessFinished(trial, () => Tell(trial, state, failReason), out stored);

    private bool TellUnlessFinished(Trial trial, Func<FrozenTrial> tell, out FrozenTrial stored)
    {
        ArgumentNullException.ThrowIfNull(trial);
        try
        {
            stored = tell();
            return true;
        }
        catch (TrialAlreadyFinishedException)
        {
            stored = Storage.GetTrial(trial.TrialId);
            return false;
        }
    }

    /// <summary>Single-objective <see cref="Optimize(Func{Trial, double[]}, int, IEnumerable{Action{Study, FrozenTrial}}?, CancellationToken)"/>.</summary>
    public void Optimize(Func<Trial, double> objective, int nTrials,
        IEnumerable<Action<Study, FrozenTrial>>? callbacks = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        Optimize(t => [objective(t)], nTrials, callbacks, cancellationToken);
    }

    /// <summary>
    /// Ends the running <see cref="Optimize(Func{Trial, double[]}, int, IEnumerable{Action{Study, FrozenTrial}}?, CancellationToken)"/>
    /// after the current trial (Optuna's study.stop; e.g. a grid sampler whose grid is exhausted).
    /// </summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Queues a trial whose params are fixed to <paramref name="parameters"/> (external values); the next Ask claims it
    /// and suggest calls return these values. Params not listed are sampled as usual (Optuna's enqueue_trial).
    /// </summary>
    public void EnqueueTrial(IDictionary<string, object?> parameters, IDictionary<string, object?>? userAttrs = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Storage.CreateNewTrial(StudyId, new FrozenTrial
        {
            State = TrialState.Waiting,
            SystemAttrs = new Dictionary<string, object?> { [Trial.FixedParamsKey] = new Dictionary<string, object?>(parameters) },
            UserAttrs = userAttrs is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(userAttrs),
        });
        InvalidateCache();
    }

    /// <summary>System attr listing the numbers of earlier attempts of a re-queued trial, oldest first.</summary>
    public const string RetryHistoryKey = "retry_history";
    /// <summary>fail_reason of a trial whose heartbeat stopped (its worker died).</summary>
    public const string StaleReason = "stale";
    /// <summary>fail_reason of a trial found RUNNING on resume without heartbeats.</summary>
    public const string InterruptedReason = "interrupted";

    /// <summary>
    /// Fails and re-queues trials whose worker is gone. With a heartbeat storage (<see cref="IHeartbeatStorage"/> with an
    /// interval), only RUNNING trials whose heartbeat is older than the grace period, with <c>fail_reason</c> "stale";
    /// safe while other workers run. Without heartbeats, every RUNNING trial, with <c>fail_reason</c> "interrupted" —
    /// call that only when no other worker runs this study (resume after a crash). Each failed trial's params are
    /// enqueued again as a WAITING trial (system attrs <c>failed_trial</c> = the old number and <c>retry_history</c>,
    /// as Optuna's RetryFailedTrialCallback). A trial failed by two sweepers at once is re-queued once: the second
    /// finds it finished. Returns the numbers of the trials that were failed.
    /// </summary>
    public IReadOnlyList<int> FailStaleTrials()
    {
        var failed = new List<int>();
        bool heartbeats = Storage is IHeartbeatStorage { HeartbeatInterval: not null };
        IEnumerable<FrozenTrial> candidates = heartbeats
            ? ((IHeartbeatStorage)Storage).GetStaleTrialIds(StudyId).Select(Storage.GetTrial)
            : Storage.GetAllTrials(StudyId, [TrialState.Running]);
        string reason = heartbeats ? StaleReason : InterruptedReason;
        foreach (FrozenTrial t in candidates)
        {
            if (t.State != TrialState.Running) continue;
            try
            {
                Storage.SetTrialSystemAttr(t.TrialId, FailReasonKey, reason);
                Storage.SetTrialStateValues(t.TrialId, TrialState.Fail);
            }
            catch (InvalidOperationException)
            {
                continue; // finished meanwhile by its owner: nothing to retry
            }
            var history = t.SystemAttrs.GetValueOrDefault(RetryHistoryKey) is List<object?> h ? new List<object?>(h) : [];
            history.Add((long)t.Number);
            Storage.CreateNewTrial(StudyId, new FrozenTrial
            {
                State = TrialState.Waiting,
                SystemAttrs = new Dictionary<string, object?>
                {
                    [Trial.FixedParamsKey] = t.Params.ToDictionary(kv => kv.Key, kv => kv.Value),
                    ["failed_trial"] = (long)t.Number,
                    [RetryHistoryKey] = history,
                },
                UserAttrs = t.UserAttrs,
            });
            failed.Add(t.Number);
        }
        InvalidateCache();
        return failed;
    }

    /// <summary>
    /// Best COMPLETE trial of a single-objective study; when constraints are used, the best feasible one.
    /// </summary>
    /// <exception cref="InvalidOperationException">Multi-objective study, or no (feasible) completed trial.</exception>
    public FrozenTrial BestTrial
    {
        get
        {
            StudyDirection direction = IsMultiObjective
                ? throw new InvalidOperationException("BestTrial is for single-objective studies; use BestTrials (the Pareto front).")
                : Directions[0];
            var complete = GetTrials(TrialState.Complete);
            if (complete.Count == 0) throw new InvalidOperationException($"Study '{Name}' has no completed trials yet.");
            var feasible = complete.Where(t => t.IsFeasible).ToList();
            if (feasible.Count == 0) throw new InvalidOperationException($"Study '{Name}' has no feasible completed trials yet.");
            return feasible.MinBy(t => direction.ToLoss(t.Value))!;
        }
    }

    /// <summary>Best value of a single-objective study.</summary>
    public double BestValue => BestTrial.Value;

    /// <summary>Params of <see cref="BestTrial"/>.</summary>
    public IReadOnlyDictionary<string, object?> BestParams => BestTrial.Params;

    /// <summary>
    /// The Pareto front of COMPLETE trials (any number of objectives, directions respected), restricted to feasible
    /// trials when constraints are used. For one objective: all trials tied for the best value.
    /// </summary>
    public IReadOnlyList<FrozenTrial> BestTrials =>
        Pareto.FrontTrials(GetTrials(TrialState.Complete).Where(t => t.IsFeasible).ToList(), Directions);

    /// <summary>Stores a study user attribute (any JSON value).</summary>
    public void SetUserAttr(string key, object? value) => Storage.SetStudyUserAttr(StudyId, key, value);

    /// <summary>Stores a study system attribute (any JSON value).</summary>
    public void SetSystemAttr(string key, object? value) => Storage.SetStudySystemAttr(StudyId, key, value);

    /// <summary>Study user attributes.</summary>
    public IReadOnlyDictionary<string, object?> UserAttrs => Storage.GetStudyUserAttrs(StudyId);

    /// <summary>Study system attributes.</summary>
    public IReadOnlyDictionary<string, object?> SystemAttrs => Storage.GetStudySystemAttrs(StudyId);

    private FrozenTrial Finish(Trial trial, TrialState state, IReadOnlyList<double>? values, string? failReason)
    {
        if (trial.Study != this && trial.Study.StudyId != StudyId)
            throw new ArgumentException($"Trial {trial.Number} belongs to study '{trial.Study.Name}', not '{Name}'.");
        trial.StopHeartbeat();
        FrozenTrial current = Storage.GetTrial(trial.TrialId);
        StorageRules.CheckUpdatable(current.Number, current.State);
        if (failReason is not null) Storage.SetTrialSystemAttr(trial.TrialId, FailReasonKey, failReason);
        try
        {
            Sampler.AfterTrial(this, current, state, values);
        }
        finally
        {
            // The outcome is recorded even when a sampler hook throws: nothing is lost.
            Storage.SetTrialStateValues(trial.TrialId, state, values);
            InvalidateCache();
        }
        return Storage.GetTrial(trial.TrialId);
    }

    private void InvalidateCache()
    {
        lock (_cacheGate)
        {
            _cachedTrials = null;
            _filteredTrials.Clear();
        }
    }
}
