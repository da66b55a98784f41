using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Storage.Sqlite;

namespace EdgeAutoMl.Storage.Rdb;

/// <summary>
/// Optuna's RDB storage, written once for SQLite and PostgreSQL: every query of the studies, trials and heartbeat
/// tables lives here, and a small <see cref="RdbDialect"/> supplies what differs (enum casts, row locks, clock, date
/// encoding). Subclasses own the connection and transaction policy. Every call is one transaction; trial updates
/// lock the trial row before checking it is still modifiable, trial creation locks the study row (numbers stay
/// consecutive across workers), and a WAITING trial is claimed under a lock that other claimers skip. Finished
/// trials are kept in a <see cref="FinishedTrialCache"/> unless disabled.
/// </summary>
public abstract class RdbStorage : IStorage, IHeartbeatStorage
{
    private readonly FinishedTrialCache? _cache;
    private readonly RdbDialect _dialect;

    private protected RdbStorage(RdbDialect dialect, TimeSpan? heartbeatInterval, TimeSpan? gracePeriod, bool cacheFinishedTrials)
    {
        if (heartbeatInterval is { } hi && hi <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), "must be positive.");
        _dialect = dialect;
        HeartbeatInterval = heartbeatInterval;
        GracePeriod = gracePeriod ?? (heartbeatInterval is { } h ? 2 * h : TimeSpan.FromMinutes(2));
        _cache = cacheFinishedTrials ? new FinishedTrialCache() : null;
    }

    /// <inheritdoc />
    public TimeSpan? HeartbeatInterval { get; }

    /// <inheritdoc />
    public TimeSpan GracePeriod { get; }

    /// <summary>Where the data lives, for error messages.</summary>
    private protected abstract string Where { get; }

    /// <summary>Runs a read-only transaction that sees one consistent snapshot.</summary>
    private protected abstract T Read<T>(Func<RdbSession, T> body);

    /// <summary>Runs a write transaction (retried by the subclass on transient conflicts).</summary>
    private protected abstract T Write<T>(Func<RdbSession, T> body);

    // ---- studies ----

    /// <inheritdoc />
    public int CreateNewStudy(IReadOnlyList<StudyDirection> directions, string studyName)
    {
        try
        {
            return Write(s =>
            {
                if (s.Scalar("SELECT 1 FROM studies WHERE study_name=@n", ("n", studyName)) is not null)
                    throw new DuplicatedStudyException(studyName);
                int id = Convert.ToInt32(s.Scalar("INSERT INTO studies (study_name) VALUES (@n) RETURNING study_id", ("n", studyName)));
                for (int i = 0; i < directions.Count; i++)
                    s.Exec($"INSERT INTO study_directions (direction, study_id, objective) VALUES ({_dialect.Enum("@d", "studydirection")}, @s, @o)",
                        ("d", directions[i].ToOptunaName()), ("s", id), ("o", i));
                return id;
            });
        }
        catch (Exception e) when (_dialect.IsUniqueViolation(e))
        {
            throw new DuplicatedStudyException(studyName); // created by another worker between our check and insert
        }
    }

    /// <inheritdoc />
    public void DeleteStudy(int studyId) => Write(s =>
    {
        RequireStudy(s, studyId, forUpdate: true);
        _cache?.Forget(studyId);
        foreach (string table in new[] { "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                     "trial_system_attributes", "trial_heartbeats" })
            s.Exec($"DELETE FROM {table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id=@s)", ("s", studyId));
        foreach (string table in new[] { "trials", "study_directions", "study_user_attributes", "study_system_attributes", "studies" })
            s.Exec($"DELETE FROM {table} WHERE study_id=@s", ("s", studyId));
        return 0;
    });

    /// <inheritdoc />
    public int GetStudyIdFromName(string studyName) => Read(s =>
        s.Scalar("SELECT study_id FROM studies WHERE study_name=@n", ("n", studyName)) is { } id
            ? Convert.ToInt32(id)
            : throw new StudyNotFoundException($"name '{studyName}' in {Where}"));

    /// <inheritdoc />
    public string GetStudyNameFromId(int studyId) => Read(s =>
        s.Scalar("SELECT study_name FROM studies WHERE study_id=@s", ("s", studyId)) as string
        ?? throw new StudyNotFoundException($"id {studyId} in {Where}"));

    /// <inheritdoc />
    public IReadOnlyList<string> GetAllStudyNames() => Read(s => s.Rows("SELECT study_name FROM studies ORDER BY study_id", r => r.GetString(0)));

    /// <inheritdoc />
    public IReadOnlyList<StudyDirection> GetStudyDirections(int studyId) => Read(s =>
    {
        RequireStudy(s, studyId);
        return s.Rows($"SELECT {_dialect.Text("direction")} FROM study_directions WHERE study_id=@s ORDER BY objective",
            r => StudyDirectionExtensions.ParseOptunaName(r.GetString(0)), ("s", studyId));
    });

    /// <inheritdoc />
    public void SetStudyUserAttr(int studyId, string key, object? value) => SetStudyAttr("study_user_attributes", studyId, key, value);

    /// <inheritdoc />
    public void SetStudySystemAttr(int studyId, string key, object? value) => SetStudyAttr("study_system_attributes", studyId, key, value);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> GetStudyUserAttrs(int studyId) => GetStudyAttrs("study_user_attributes", studyId);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, object?> GetStudySystemAttrs(int studyId) => GetStudyAttrs("study_system_attributes", studyId);

    private void SetStudyAttr(string table, int studyId, string key, object? value)
    {
        string json = AttrJson.Encode(value);
        Write(s =>
        {
            RequireStudy(s, studyId);
            s.Exec($"INSERT INTO {table} (study_id, \"key\", value_json) VALUES (@s, @k, @v) " +
                   "ON CONFLICT (study_id, \"key\") DO UPDATE SET value_json=EXCLUDED.value_json", ("s", studyId), ("k", key), ("v", json));
            return 0;
        });
    }

    private IReadOnlyDictionary<string, object?> GetStudyAttrs(string table, int studyId) => Read(s =>
    {
        RequireStudy(s, studyId);
        var result = new Dictionary<string, object?>();
        foreach (var (k, v) in s.Rows($"SELECT \"key\", value_json FROM {table} WHERE study_id=@s ORDER BY 1",
                     r => (r.GetString(0), r.GetString(1)), ("s", studyId)))
            result[k] = AttrJson.Decode(v);
        return result;
    });

    // ---- trials ----

    /// <inheritdoc />
    public int CreateNewTrial(int studyId, FrozenTrial? template = null)
    {
        StorageRules.CheckValues(template?.Values);
        return Write(s =>
        {
            // The study row lock serialises trial creation, so numbers are consecutive and unique across workers
            // (and trial ids grow in commit order within a study, which the finished-trial cache relies on).
            RequireStudy(s, studyId, forUpdate: true);
            int number = Convert.ToInt32(s.Scalar("SELECT COUNT(*) FROM trials WHERE study_id=@s", ("s", studyId)));
            TrialState state = template?.State ?? TrialState.Running;
            string start = template is null ? _dialect.NowLocal : "@ds";
            int trialId = Convert.ToInt32(s.Scalar(
                $"INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (@n, @s, {_dialect.Enum("@st", "trialstate")}, {start}, @dc) RETURNING trial_id",
                ("n", number), ("s", studyId), ("st", state.ToOptunaName()), ("ds", _dialect.Date(template?.DatetimeStart)),
                ("dc", _dialect.Date(template?.DatetimeComplete))));
            if (template is null) return trialId;
            foreach (var (name, v) in template.InternalParams) UpsertParam(s, trialId, name, v, template.Distributions[name]);
            if (template.Values is { } values) UpsertValues(s, trialId, values);
            foreach (var (step, v) in template.IntermediateValues) UpsertIntermediate(s, trialId, step, v);
            foreach (var (k, v) in template.UserAttrs) UpsertTrialAttr(s, "trial_user_attributes", trialId, k, v);
            foreach (var (k, v) in template.SystemAttrs) UpsertTrialAttr(s, "trial_system_attributes", trialId, k, v);
            return trialId;
        });
    }

    /// <inheritdoc />
    public int? ClaimWaitingTrial(int studyId) => Write<int?>(s =>
    {
        // SKIP LOCKED (PostgreSQL): a row another worker is claiming right now is skipped, not waited for; SQLite's
        // write transaction excludes every other writer. Either way no two workers take the same trial.
        if (s.Scalar($"SELECT trial_id FROM trials WHERE study_id=@s AND state='WAITING' ORDER BY trial_id LIMIT 1{_dialect.ForUpdateSkipLocked}",
                ("s", studyId)) is not { } id)
            return null;
        s.Exec($"UPDATE trials SET state='RUNNING', datetime_start={_dialect.NowLocal} WHERE trial_id=@t", ("t", id));
        return Convert.ToInt32(id);
    });

    /// <inheritdoc />
    public void SetTrialParam(int trialId, string paramName, double internalValue, Distribution distribution) => Write(s =>
    {
        (int studyId, _) = LockUpdatable(s, trialId);
        if (_cache?.KnownDistribution(studyId, paramName) is { } known)
            StorageRules.CheckCompatible(paramName, known, distribution); // saves a query per suggest
        else if (s.Scalar("SELECT p.distribution_json FROM trial_params p JOIN trials t ON p.trial_id=t.trial_id " +
                          "WHERE t.study_id=@s AND p.param_name=@n LIMIT 1", ("s", studyId), ("n", paramName)) is string json)
            StorageRules.CheckCompatible(paramName, DistributionJson.FromJson(json), distribution);
        UpsertParam(s, trialId, paramName, internalValue, distribution);
        return 0;
    });

    /// <inheritdoc />
    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null)
    {
        StorageRules.CheckValues(values);
        return Write(s =>
        {
            (_, TrialState current) = LockUpdatable(s, trialId);
            if (state == TrialState.Running && current != TrialState.Waiting) return false;
            if (values is not null) UpsertValues(s, trialId, values);
            string st = _dialect.Enum("@st", "trialstate");
            string sql = state == TrialState.Running
                ? $"UPDATE trials SET state={st}, datetime_start={_dialect.NowLocal} WHERE trial_id=@t"
                : state.IsFinished()
                    ? $"UPDATE trials SET state={st}, datetime_complete={_dialect.NowLocal} WHERE trial_id=@t"
                    : $"UPDATE trials SET state={st} WHERE trial_id=@t";
            s.Exec(sql, ("st", state.ToOptunaName()), ("t", trialId));
            return true;
        });
    }

    /// <inheritdoc />
    public void SetTrialIntermediateValue(int trialId, int step, double value) => Write(s =>
    {
        LockUpdatable(s, trialId);
        UpsertIntermediate(s, trialId, step, value);
        return 0;
    });

    /// <inheritdoc />
    public void SetTrialUserAttr(int trialId, string key, object? value) => SetTrialAttr("trial_user_attributes", trialId, key, value);

    /// <inheritdoc />
    public void SetTrialSystemAttr(int trialId, string key, object? value) => SetTrialAttr("trial_system_attributes", trialId, key, value);

    private void SetTrialAttr(string table, int trialId, string key, object? value)
    {
        AttrJson.Encode(value); // fail on unsupported values before touching the database
        Write(s =>
        {
            LockUpdatable(s, trialId);
            UpsertTrialAttr(s, table, trialId, key, value);
            return 0;
        });
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(int trialId) => _cache?.FinishedTrial(trialId) ?? Read(s =>
        LoadTrials(s, "t.trial_id=@x", trialId, null).FirstOrDefault()
        ?? throw new KeyNotFoundException($"No trial with id {trialId} in {Where}."));

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null) => Read(s =>
    {
        RequireStudy(s, studyId);
        if (_cache is null) return LoadTrials(s, "t.study_id=@x", studyId, states);
        return _cache.Merge(studyId, LoadTrials(s, "t.study_id=@x AND " + _cache.PendingCondition(studyId), studyId, null), states);
    });

    /// <inheritdoc />
    public int GetTrialIdFromStudyIdTrialNumber(int studyId, int trialNumber) => Read(s =>
        s.Scalar("SELECT trial_id FROM trials WHERE study_id=@s AND number=@n", ("s", studyId), ("n", trialNumber)) is { } id
            ? Convert.ToInt32(id)
            : throw new KeyNotFoundException($"Study {studyId} has no trial number {trialNumber} in {Where}."));

    // ---- heartbeats ----

    /// <inheritdoc />
    public void RecordHeartbeat(int trialId) => Write(s =>
        s.Exec($"INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@t, {_dialect.NowHeartbeat}) " +
               "ON CONFLICT (trial_id) DO UPDATE SET heartbeat=EXCLUDED.heartbeat", ("t", trialId)));

    /// <inheritdoc />
    public IReadOnlyList<int> GetStaleTrialIds(int studyId) => Read(s =>
    {
        var (older, grace) = _dialect.HeartbeatOlderThan(GracePeriod);
        return s.Rows("SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id=t.trial_id " +
                      $"WHERE t.study_id=@s AND t.state='RUNNING' AND {older} ORDER BY t.trial_id",
            r => Convert.ToInt32(r.GetValue(0)), ("s", studyId), ("g", grace));
    });

    // ---- trial reader ----

    // The trials matching `where` (on alias t, parameter @x) with all their child rows, read in the caller's transaction.
    private List<FrozenTrial> LoadTrials(RdbSession s, string where, int key, IReadOnlyCollection<TrialState>? states)
    {
        var rows = s.Rows($"SELECT t.trial_id, t.number, {_dialect.Text("t.state")}, t.datetime_start, t.datetime_complete FROM trials t WHERE {where} ORDER BY t.number, t.trial_id",
            r => (Id: Convert.ToInt32(r.GetValue(0)), Number: r.IsDBNull(1) ? 0 : Convert.ToInt32(r.GetValue(1)),
                State: TrialStateExtensions.ParseOptunaName(r.GetString(2)),
                Start: _dialect.ReadDate(r.GetValue(3)), Complete: _dialect.ReadDate(r.GetValue(4))), ("x", key));
        if (states is not null) rows = rows.Where(r => states.Contains(r.State)).ToList();
        if (rows.Count == 0) return [];

        var parts = rows.ToDictionary(r => r.Id, _ => new TrialParts());
        string join = $"JOIN trials t ON x.trial_id=t.trial_id WHERE {where}";
        var distributions = new Dictionary<string, Distribution>(); // parse each distinct JSON once
        foreach (var (id, name, value, json) in s.Rows($"SELECT x.trial_id, x.param_name, x.param_value, x.distribution_json FROM trial_params x {join} ORDER BY x.param_id",
                     r => (Convert.ToInt32(r.GetValue(0)), r.GetString(1), r.GetDouble(2), r.GetString(3)), ("x", key)))
        {
            if (!parts.TryGetValue(id, out TrialParts? p)) continue;
            if (!distributions.TryGetValue(json, out Distribution? d)) distributions[json] = d = DistributionJson.FromJson(json);
            p.Params[name] = value;
            p.Distributions[name] = d;
        }
        foreach (var (id, objective, value) in s.Rows($"SELECT x.trial_id, x.objective, x.value, {_dialect.Text("x.value_type")} FROM trial_values x {join}",
                     r => (Convert.ToInt32(r.GetValue(0)), Convert.ToInt32(r.GetValue(1)), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Values[objective] = value;
        foreach (var (id, step, value) in s.Rows($"SELECT x.trial_id, x.step, x.intermediate_value, {_dialect.Text("x.intermediate_value_type")} FROM trial_intermediate_values x {join}",
                     r => (Convert.ToInt32(r.GetValue(0)), Convert.ToInt32(r.GetValue(1)), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Intermediate[step] = value;
        foreach (var (id, k, json) in s.Rows($"SELECT x.trial_id, x.\"key\", x.value_json FROM trial_user_attributes x {join} ORDER BY x.trial_user_attribute_id",
                     r => (Convert.ToInt32(r.GetValue(0)), r.GetString(1), r.GetString(2)), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.UserAttrs[k] = AttrJson.Decode(json);
        foreach (var (id, k, json) in s.Rows($"SELECT x.trial_id, x.\"key\", x.value_json FROM trial_system_attributes x {join} ORDER BY x.trial_system_attribute_id",
                     r => (Convert.ToInt32(r.GetValue(0)), r.GetString(1), r.GetString(2)), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.SystemAttrs[k] = AttrJson.Decode(json);

        return rows.Select(r => parts[r.Id].Freeze(r.Id, r.Number, r.State, r.Start, r.Complete)).ToList();
    }

    // ---- row writers and checks ----

    private void RequireStudy(RdbSession s, int studyId, bool forUpdate = false)
    {
        if (s.Scalar("SELECT 1 FROM studies WHERE study_id=@s" + (forUpdate ? _dialect.ForUpdate : ""), ("s", studyId)) is null)
            throw new StudyNotFoundException($"id {studyId} in {Where}");
    }

    // Locks the trial row for the rest of the transaction, then checks it may still change.
    private (int StudyId, TrialState State) LockUpdatable(RdbSession s, int trialId)
    {
        var row = s.Rows($"SELECT study_id, number, {_dialect.Text("state")} FROM trials WHERE trial_id=@t{_dialect.ForUpdate}",
            r => (Convert.ToInt32(r.GetValue(0)), Convert.ToInt32(r.GetValue(1)), TrialStateExtensions.ParseOptunaName(r.GetString(2))), ("t", trialId));
        if (row.Count == 0) throw new KeyNotFoundException($"No trial with id {trialId} in {Where}.");
        var (studyId, number, state) = row[0];
        StorageRules.CheckUpdatable(number, state);
        return (studyId, state);
    }

    private static void UpsertParam(RdbSession s, int trialId, string name, double v, Distribution d) =>
        s.Exec("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@t, @n, @v, @d) " +
               "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value=EXCLUDED.param_value, distribution_json=EXCLUDED.distribution_json",
            ("t", trialId), ("n", name), ("v", v), ("d", d.ToJson()));

    private void UpsertValues(RdbSession s, int trialId, IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            var (v, type) = SqliteCodec.EncodeValue(values[i]);
            s.Exec($"INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@t, @o, @v, {_dialect.Enum("@y", "trialvaluetype")}) " +
                   "ON CONFLICT (trial_id, objective) DO UPDATE SET value=EXCLUDED.value, value_type=EXCLUDED.value_type",
                ("t", trialId), ("o", i), ("v", v), ("y", type));
        }
    }

    private void UpsertIntermediate(RdbSession s, int trialId, int step, double value)
    {
        var (v, type) = SqliteCodec.EncodeIntermediate(value);
        s.Exec("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) " +
               $"VALUES (@t, @s, @v, {_dialect.Enum("@y", "trialintermediatevaluetype")}) ON CONFLICT (trial_id, step) DO UPDATE SET " +
               "intermediate_value=EXCLUDED.intermediate_value, intermediate_value_type=EXCLUDED.intermediate_value_type",
            ("t", trialId), ("s", step), ("v", v), ("y", type));
    }

    private static void UpsertTrialAttr(RdbSession s, string table, int trialId, string key, object? value) =>
        s.Exec($"INSERT INTO {table} (trial_id, \"key\", value_json) VALUES (@t, @k, @v) " +
               "ON CONFLICT (trial_id, \"key\") DO UPDATE SET value_json=EXCLUDED.value_json",
            ("t", trialId), ("k", key), ("v", AttrJson.Encode(value)));
}
