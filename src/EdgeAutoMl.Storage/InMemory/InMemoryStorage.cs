using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Storage;

/// <summary>
/// Storage in process memory (Optuna's InMemoryStorage): fast, thread-safe, gone when the process ends.
/// Use it for tests and throwaway searches.
/// </summary>
public sealed class InMemoryStorage : IStorage, IHeartbeatStorage
{
    private readonly object _gate = new();
    private readonly Dictionary<int, DateTime> _heartbeats = [];

    /// <summary>Creates an empty storage; with <paramref name="heartbeatInterval"/>, running trials beat (see <see cref="IHeartbeatStorage"/>).</summary>
    public InMemoryStorage(TimeSpan? heartbeatInterval = null, TimeSpan? gracePeriod = null)
    {
        if (heartbeatInterval is { } hi && hi <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), "must be positive.");
        HeartbeatInterval = heartbeatInterval;
        GracePeriod = gracePeriod ?? (heartbeatInterval is { } h ? 2 * h : TimeSpan.FromMinutes(2));
    }

    /// <inheritdoc />
    public TimeSpan? HeartbeatInterval { get; }

    /// <inheritdoc />
    public TimeSpan GracePeriod { get; }

    /// <inheritdoc />
    public void RecordHeartbeat(int trialId)
    {
        lock (_gate)
        {
            Trial(trialId);
            _heartbeats[trialId] = DateTime.UtcNow;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<int> GetStaleTrialIds(int studyId)
    {
        lock (_gate)
        {
            DateTime limit = DateTime.UtcNow - GracePeriod;
            return Study(studyId).TrialIds
                .Where(id => _trials[id].State == TrialState.Running && _heartbeats.TryGetValue(id, out DateTime beat) && beat < limit)
                .ToList();
        }
    }
    private readonly List<StudyRecord> _studies = [];
    private readonly List<TrialRecord> _trials = []; // index = trial id
    private int _nextStudyId = 1;

    private sealed class StudyRecord
    {
        public required int Id;
        public required string Name;
        public required StudyDirection[] Directions;
        public readonly Dictionary<string, string> UserAttrs = new();
        public readonly Dictionary<string, string> SystemAttrs = new();
        public readonly List<int> TrialIds = [];
        public bool Deleted;
        // WAITING trials in the study: every Ask claims one if any, and with none (the usual case) the scan of all the
        // study's trials for one is skipped. Kept by SetState, the one place a trial's state changes.
        public int Waiting;
    }

    private sealed class TrialRecord
    {
        public required int Id;
        public required int StudyId;
        public required int Number;
        public TrialState State;
        public double[]? Values;
        public DateTime? Start, Complete;
        public readonly Dictionary<string, double> Params = new();
        public readonly Dictionary<string, Distribution> Distributions = new();
        public readonly Dictionary<string, string> UserAttrs = new();
        public readonly Dictionary<string, string> SystemAttrs = new();
        public readonly SortedDictionary<int, double> Intermediate = new();
        // Snapshot of a finished trial (it can no longer change): samplers read every trial on every Ask, and
        // rebuilding 1000 snapshots (dictionary copies, attr JSON decoding) dominated NSGA-II's suggest time.
        public FrozenTrial? FinishedSnapshot;
    }

    /// <inheritdoc />
    public int CreateNewStudy(IReadOnlyList<StudyDirection> directions, string studyName)
    {
        lock (_gate)
        {
            if (_studies.Any(s => !s.Deleted && s.Name == studyName)) throw new DuplicatedStudyException(studyName);
            var s = new StudyRecord { Id = _nextStudyId++, Name = studyName, Directions = directions.ToArray() };
            _studies.Add(s);
            return s.Id;
        }
    }

    /// <inheritdoc />
    public void DeleteStudy(int studyId)
    {
        lock (_gate) Study(studyId).Deleted = true;
    }

    /// <inheritdoc />
    public int GetStudyIdFromName(string studyName)
    {
        lock (_gate)
            return (_studies.FirstOrDefault(s => !s.Deleted && s.Name == studyName)
                    ?? throw new StudyNotFoundException($"name '{studyName}'")).Id;
    }

    /// <inheritdoc />
    public string GetStudyNameFromId(int studyId)
    {
        lock (_gate) return Study(studyId).Name;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> GetAllStudyNames()
    {
        lock (_gate) return _studies.Where(s => !s.Deleted).Select(s => s.Name).ToList();
    }

    /// <inheritdoc />
    public IReadOnlyList<StudyDirection> GetStudyDirections(int studyId)
    {
        lock (_gate) return Study(studyId).Directions.ToArray();
    }

    /// <inheritdoc />
    public void SetStudyUserAttr(int studyId, string key, object? value)
    {
        string json = AttrJson.Encode(value);
        lock (_gate) Study(studyId).UserAttrs[key] = json;
    }

    /// <inheritdoc />
    public void SetStudySystemAttr(int studyId, string key, object? value)
    {
        string json = AttrJson.Encode(value);
        lock (_gate) Study(studyId).SystemAttrs[key] = json;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> GetStudyUserAttrs(int studyId)
    {
        lock (_gate) return Decode(Study(studyId).UserAttrs);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> GetStudySystemAttrs(int studyId)
    {
        lock (_gate) return Decode(Study(studyId).SystemAttrs);
    }

    /// <inheritdoc />
    public int CreateNewTrial(int studyId, FrozenTrial? template = null)
    {
        lock (_gate)
        {
            StudyRecord s = Study(studyId);
            var t = new TrialRecord { Id = _trials.Count, StudyId = studyId, Number = s.TrialIds.Count };
            if (template is null)
            {
                t.State = TrialState.Running;
                t.Start = DateTime.Now;
            }
            else
            {
                StorageRules.CheckValues(template.Values);
                t.State = template.State;
                t.Values = template.Values?.ToArray();
                t.Start = template.DatetimeStart;
                t.Complete = template.DatetimeComplete;
                foreach (var (name, v) in template.InternalParams)
                {
                    t.Params[name] = v;
                    t.Distributions[name] = template.Distributions[name];
                }
                foreach (var (k, v) in template.UserAttrs) t.UserAttrs[k] = AttrJson.Encode(v);
                foreach (var (k, v) in template.SystemAttrs) t.SystemAttrs[k] = AttrJson.Encode(v);
                foreach (var (k, v) in template.IntermediateValues) t.Intermediate[k] = v;
            }
            _trials.Add(t);
            s.TrialIds.Add(t.Id);
            if (t.State == TrialState.Waiting) s.Waiting++;
            return t.Id;
        }
    }

    /// <inheritdoc />
    public int? ClaimWaitingTrial(int studyId)
    {
        lock (_gate)
        {
            StudyRecord s = Study(studyId);
            if (s.Waiting == 0) return null;
            foreach (int id in s.TrialIds)
            {
                TrialRecord t = _trials[id];
                if (t.State != TrialState.Waiting) continue;
                SetState(t, TrialState.Running);
                t.Start = DateTime.Now;
                return id;
            }
            return null;
        }
    }

    /// <inheritdoc />
    public void SetTrialParam(int trialId, string paramName, double internalValue, Distribution distribution)
    {
        lock (_gate)
        {
            TrialRecord t = Updatable(trialId);
            foreach (int other in Study(t.StudyId).TrialIds)
                if (_trials[other].Distributions.TryGetValue(paramName, out Distribution? existing))
                {
                    StorageRules.CheckCompatible(paramName, existing, distribution);
                    break;
                }
            t.Params[paramName] = internalValue;
            t.Distributions[paramName] = distribution;
        }
    }

    /// <inheritdoc />
    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null)
    {
        StorageRules.CheckValues(values);
        lock (_gate)
        {
            TrialRecord t = Updatable(trialId);
            if (state == TrialState.Running && t.State != TrialState.Waiting) return false;
            SetState(t, state);
            if (values is not null) t.Values = values.ToArray();
            if (state == TrialState.Running) t.Start = DateTime.Now;
            if (state.IsFinished()) t.Complete = DateTime.Now;
            return true;
        }
    }

    /// <inheritdoc />
    public void SetTrialIntermediateValue(int trialId, int step, double value)
    {
        lock (_gate) Updatable(trialId).Intermediate[step] = value;
    }

    /// <inheritdoc />
    public void SetTrialUserAttr(int trialId, string key, object? value)
    {
        string json = AttrJson.Encode(value);
        lock (_gate) Updatable(trialId).UserAttrs[key] = json;
    }

    /// <inheritdoc />
    public void SetTrialSystemAttr(int trialId, string key, object? value)
    {
        string json = AttrJson.Encode(value);
        lock (_gate) Updatable(trialId).SystemAttrs[key] = json;
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(int trialId)
    {
        lock (_gate) return Freeze(Trial(trialId));
    }

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null)
    {
        lock (_gate)
        {
            // A plain loop: samplers read every trial on every Ask.
            List<int> ids = Study(studyId).TrialIds;
            var result = new List<FrozenTrial>(ids.Count);
            foreach (int id in ids)
            {
                TrialRecord t = _trials[id];
                if (states is null || states.Contains(t.State)) result.Add(Freeze(t));
            }
            return result;
        }
    }

    private void SetState(TrialRecord t, TrialState state)
    {
        if ((t.State == TrialState.Waiting) != (state == TrialState.Waiting))
            _studies.First(s => s.Id == t.StudyId).Waiting += state == TrialState.Waiting ? 1 : -1;
        t.State = state;
    }

    /// <inheritdoc />
    public int GetTrialIdFromStudyIdTrialNumber(int studyId, int trialNumber)
    {
        lock (_gate)
        {
            List<int> ids = Study(studyId).TrialIds;
            if (trialNumber < 0 || trialNumber >= ids.Count)
                throw new KeyNotFoundException($"Study {studyId} has no trial number {trialNumber}.");
            return ids[trialNumber];
        }
    }

    private StudyRecord Study(int studyId) =>
        _studies.FirstOrDefault(s => s.Id == studyId && !s.Deleted) ?? throw new StudyNotFoundException($"id {studyId}");

    private TrialRecord Trial(int trialId)
    {
        if (trialId < 0 || trialId >= _trials.Count || _studies.First(s => s.Id == _trials[trialId].StudyId).Deleted)
            throw new KeyNotFoundException($"No trial with id {trialId}.");
        return _trials[trialId];
    }

    private TrialRecord Updatable(int trialId)
    {
        TrialRecord t = Trial(trialId);
        StorageRules.CheckUpdatable(t.Number, t.State);
        return t;
    }

    private static Dictionary<string, object?> Decode(Dictionary<string, string> attrs) =>
        attrs.ToDictionary(kv => kv.Key, kv => AttrJson.Decode(kv.Value));

    private static FrozenTrial Freeze(TrialRecord t)
    {
        if (t.FinishedSnapshot is { } cached) return cached;
        FrozenTrial frozen = Snapshot(t);
        if (t.State.IsFinished()) t.FinishedSnapshot = frozen;
        return frozen;
    }

    private static FrozenTrial Snapshot(TrialRecord t) => new()
    {
        TrialId = t.Id,
        Number = t.Number,
        State = t.State,
        Values = t.Values?.ToArray(),
        DatetimeStart = t.Start,
        DatetimeComplete = t.Complete,
        InternalParams = new Dictionary<string, double>(t.Params),
        Distributions = new Dictionary<string, Distribution>(t.Distributions),
        UserAttrs = Decode(t.UserAttrs),
        SystemAttrs = Decode(t.SystemAttrs),
        IntermediateValues = new Dictionary<int, double>(t.Intermediate),
    };
}
