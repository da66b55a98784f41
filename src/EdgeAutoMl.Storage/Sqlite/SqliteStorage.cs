using EdgeAutoMl.Storage.Rdb;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Storage;

/// <summary>
/// SQLite storage with Optuna's RDB tables, so <c>optuna.load_study(storage="sqlite:///file.db")</c> and
/// optuna-dashboard read what EdgeAutoMl writes (and the other way round). WAL journal with synchronous=FULL:
/// each call commits (and syncs) before it returns, so killing the process loses nothing. Writes take SQLite's
/// write lock (BEGIN IMMEDIATE), so several processes may share one file. Thread-safe.
/// Heartbeats (optional) go to Optuna's <c>trial_heartbeats</c> table in UTC, as Optuna's <c>func.now()</c> writes them
/// on SQLite; every process sharing a file runs on the same host, so they share the clock.
/// </summary>
public sealed class SqliteStorage : IStorage, IHeartbeatStorage, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();
    private readonly FinishedTrialCache? _cache;

    /// <summary>
    /// Opens (or creates) a storage file. A new file gets <paramref name="schemaForNewFile"/>; an existing one keeps
    /// the schema it has.
    /// </summary>
    /// <exception cref="NotSupportedException">The file holds an Optuna schema revision this code does not know.</exception>
    /// <param name="path">The database file.</param>
    /// <param name="schemaForNewFile">Optuna schema revision written into a new file.</param>
    /// <param name="heartbeatInterval">How often running trials beat; null disables heartbeats.</param>
    /// <param name="gracePeriod">Staleness threshold; default 2 × <paramref name="heartbeatInterval"/> (Optuna's default).</param>
    /// <param name="cacheFinishedTrials">Keep finished trials in memory and read only new or unfinished trials' rows (see
    /// <see cref="Rdb.FinishedTrialCache"/>); off only to measure what the cache saves.</param>
    public SqliteStorage(string path, OptunaSchemaVersion schemaForNewFile = OptunaSchemaVersion.V3_2_0_a,
        TimeSpan? heartbeatInterval = null, TimeSpan? gracePeriod = null, bool cacheFinishedTrials = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _cache = cacheFinishedTrials ? new FinishedTrialCache() : null;
        if (heartbeatInterval is { } hi && hi <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), "must be positive.");
        HeartbeatInterval = heartbeatInterval;
        GracePeriod = gracePeriod ?? (heartbeatInterval is { } h ? 2 * h : TimeSpan.FromMinutes(2));
        Path = path;
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"SQLite storage '{path}': directory '{dir}' does not exist.");
        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 };
        _connection = new SqliteConnection(csb.ToString());
        try
        {
            _connection.Open();
            Pragma("PRAGMA journal_mode=WAL");
            Pragma("PRAGMA synchronous=FULL");
            Pragma("PRAGMA busy_timeout=60000");
            Schema = SqliteSchema.EnsureCreated(_connection, schemaForNewFile, path);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The Optuna schema revision of this file.</summary>
    public OptunaSchemaVersion Schema { get; }

    /// <inheritdoc />
    public TimeSpan? HeartbeatInterval { get; }

    /// <inheritdoc />
    public TimeSpan GracePeriod { get; }

    /// <summary>Closes the connection (the WAL is checkpointed into the main file).</summary>
    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    // ---- studies ----

    /// <inheritdoc />
    public int CreateNewStudy(IReadOnlyList<StudyDirection> directions, string studyName) => Write(tx =>
    {
        if (Scalar(tx, "SELECT COUNT(*) FROM studies WHERE study_name=$n", ("$n", studyName)) is > 0L)
            throw new DuplicatedStudyException(studyName);
        Exec(tx, "INSERT INTO studies (study_name) VALUES ($n)", ("$n", studyName));
        long id = LastId(tx);
        for (int i = 0; i < directions.Count; i++)
            Exec(tx, "INSERT INTO study_directions (direction, study_id, objective) VALUES ($d, $s, $o)",
                ("$d", directions[i].ToOptunaName()), ("$s", id), ("$o", i));
        return (int)id;
    });

    /// <inheritdoc />
    public void DeleteStudy(int studyId) => Write(tx =>
    {
        _cache?.Forget(studyId);
        RequireStudy(tx, studyId);
        foreach (string table in new[] { "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                     "trial_system_attributes", "trial_heartbeats" })
            Exec(tx, $"DELETE FROM {table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id=$s)", ("$s", studyId));
        foreach (string table in new[] { "trials", "study_directions", "study_user_attributes", "study_system_attributes", "studies" })
            Exec(tx, $"DELETE FROM {table} WHERE study_id=$s", ("$s", studyId));
        return 0;
    });

    /// <inheritdoc />
    public int GetStudyIdFromName(string studyName) => Read(tx =>
        Scalar(tx, "SELECT study_id FROM studies WHERE study_name=$n", ("$n", studyName)) is long id
            ? (int)id
            : throw new StudyNotFoundException($"name '{studyName}' in {Path}"));

    /// <inheritdoc />
    public string GetStudyNameFromId(int studyId) => Read(tx =>
        Scalar(tx, "SELECT study_name FROM studies WHERE study_id=$s", ("$s", studyId)) as string
        ?? throw new StudyNotFoundException($"id {studyId} in {Path}"));

    /// <inheritdoc />
    public IReadOnlyList<string> GetAllStudyNames() => Read(tx =>
        Rows(tx, "SELECT study_name FROM studies ORDER BY study_id", r => r.GetString(0)));

    /// <inheritdoc />
    public IReadOnlyList<StudyDirection> GetStudyDirections(int studyId) => Read(tx =>
    {
        RequireStudy(tx, studyId);
        return Rows(tx, "SELECT direction FROM study_directions WHERE study_id=$s ORDER BY objective",
            r => StudyDirectionExtensions.ParseOptunaName(r.GetString(0)), ("$s", studyId));
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
        Write(tx =>
        {
            RequireStudy(tx, studyId);
            Exec(tx, $"INSERT INTO {table} (study_id, \"key\", value_json) VALUES ($s, $k, $v) " +
                     "ON CONFLICT(study_id, \"key\") DO UPDATE SET value_json=excluded.value_json",
                ("$s", studyId), ("$k", key), ("$v", json));
            return 0;
        });
    }

    private IReadOnlyDictionary<string, object?> GetStudyAttrs(string table, int studyId) => Read(tx =>
    {
        RequireStudy(tx, studyId);
        var result = new Dictionary<string, object?>();
        foreach (var (k, v) in Rows(tx, $"SELECT \"key\", value_json FROM {table} WHERE study_id=$s ORDER BY 1",
                     r => (r.GetString(0), r.GetString(1)), ("$s", studyId)))
            result[k] = AttrJson.Decode(v);
        return result;
    });

    // ---- trials ----

    /// <inheritdoc />
    public int CreateNewTrial(int studyId, FrozenTrial? template = null)
    {
        StorageRules.CheckValues(template?.Values);
        return Write(tx =>
        {
            RequireStudy(tx, studyId);
            long number = (long)Scalar(tx, "SELECT COUNT(*) FROM trials WHERE study_id=$s", ("$s", studyId))!;
            TrialState state = template?.State ?? TrialState.Running;
            DateTime? start = template is null ? DateTime.Now : template.DatetimeStart;
            Exec(tx, "INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES ($n, $s, $st, $ds, $dc)",
                ("$n", number), ("$s", studyId), ("$st", state.ToOptunaName()), ("$ds", SqliteCodec.Date(start)),
                ("$dc", SqliteCodec.Date(template?.DatetimeComplete)));
            int trialId = (int)LastId(tx);
            if (template is null) return trialId;
            foreach (var (name, v) in template.InternalParams)
                UpsertParam(tx, trialId, name, v, template.Distributions[name]);
            if (template.Values is { } values) UpsertValues(tx, trialId, values);
            foreach (var (step, v) in template.IntermediateValues) UpsertIntermediate(tx, trialId, step, v);
            foreach (var (k, v) in template.UserAttrs) UpsertTrialAttr(tx, "trial_user_attributes", trialId, k, v);
            foreach (var (k, v) in template.SystemAttrs) UpsertTrialAttr(tx, "trial_system_attributes", trialId, k, v);
            return trialId;
        });
    }

    /// <inheritdoc />
    public int? ClaimWaitingTrial(int studyId) => Write<int?>(tx =>
    {
        // The IMMEDIATE transaction holds the write lock: no other process can claim the same row meanwhile.
        if (Scalar(tx, "SELECT trial_id FROM trials WHERE study_id=$s AND state='WAITING' ORDER BY trial_id LIMIT 1",
                ("$s", studyId)) is not long id)
            return null;
        Exec(tx, "UPDATE trials SET state='RUNNING', datetime_start=$d WHERE trial_id=$t",
            ("$d", SqliteCodec.Date(DateTime.Now)), ("$t", id));
        return (int)id;
    });

    /// <inheritdoc />
    public void SetTrialParam(int trialId, string paramName, double internalValue, Distribution distribution) => Write(tx =>
    {
        (int studyId, _) = RequireUpdatable(tx, trialId);
        if (_cache?.KnownDistribution(studyId, paramName) is { } known)
            StorageRules.CheckCompatible(paramName, known, distribution); // saves a query per suggest
        else if (Scalar(tx, "SELECT p.distribution_json FROM trial_params p JOIN trials t ON p.trial_id=t.trial_id " +
                       "WHERE t.study_id=$s AND p.param_name=$n LIMIT 1", ("$s", studyId), ("$n", paramName)) is string json)
            StorageRules.CheckCompatible(paramName, DistributionJson.FromJson(json), distribution);
        UpsertParam(tx, trialId, paramName, internalValue, distribution);
        return 0;
    });

    /// <inheritdoc />
    public bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null)
    {
        StorageRules.CheckValues(values);
        return Write(tx =>
        {
            (_, TrialState current) = RequireUpdatable(tx, trialId);
            if (state == TrialState.Running && current != TrialState.Waiting) return false;
            if (values is not null) UpsertValues(tx, trialId, values);
            string now = (string)SqliteCodec.Date(DateTime.Now);
            string sql = state == TrialState.Running
                ? "UPDATE trials SET state=$st, datetime_start=$d WHERE trial_id=$t"
                : state.IsFinished()
                    ? "UPDATE trials SET state=$st, datetime_complete=$d WHERE trial_id=$t"
                    : "UPDATE trials SET state=$st WHERE trial_id=$t";
            Exec(tx, sql, ("$st", state.ToOptunaName()), ("$d", now), ("$t", trialId));
            return true;
        });
    }

    /// <inheritdoc />
    public void SetTrialIntermediateValue(int trialId, int step, double value) => Write(tx =>
    {
        RequireUpdatable(tx, trialId);
        UpsertIntermediate(tx, trialId, step, value);
        return 0;
    });

    /// <inheritdoc />
    public void SetTrialUserAttr(int trialId, string key, object? value) => SetTrialAttr("trial_user_attributes", trialId, key, value);

    /// <inheritdoc />
    public void SetTrialSystemAttr(int trialId, string key, object? value) => SetTrialAttr("trial_system_attributes", trialId, key, value);

    private void SetTrialAttr(string table, int trialId, string key, object? value)
    {
        AttrJson.Encode(value); // fail on unsupported values before touching the database
        Write(tx =>
        {
            RequireUpdatable(tx, trialId);
            UpsertTrialAttr(tx, table, trialId, key, value);
            return 0;
        });
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(int trialId) => _cache?.FinishedTrial(trialId) ?? Read(tx =>
        LoadTrials(tx, "t.trial_id=$x", trialId, null).FirstOrDefault()
        ?? throw new KeyNotFoundException($"No trial with id {trialId} in {Path}."));

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null) => Read(tx =>
    {
        RequireStudy(tx, studyId);
        if (_cache is null) return LoadTrials(tx, "t.study_id=$x", studyId, states);
        return _cache.Merge(studyId, LoadTrials(tx, "t.study_id=$x AND " + _cache.PendingCondition(studyId), studyId, null), states);
    });

    /// <inheritdoc />
    public int GetTrialIdFromStudyIdTrialNumber(int studyId, int trialNumber) => Read(tx =>
        Scalar(tx, "SELECT trial_id FROM trials WHERE study_id=$s AND number=$n", ("$s", studyId), ("$n", trialNumber)) is long id
            ? (int)id
            : throw new KeyNotFoundException($"Study {studyId} has no trial number {trialNumber} in {Path}."));

    // ---- heartbeats ----

    /// <inheritdoc />
    public void RecordHeartbeat(int trialId) => Write(tx =>
    {
        Exec(tx, "INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES ($t, $h) " +
                 "ON CONFLICT(trial_id) DO UPDATE SET heartbeat=excluded.heartbeat",
            ("$t", trialId), ("$h", SqliteCodec.Date(DateTime.UtcNow)));
        return 0;
    });

    /// <inheritdoc />
    public IReadOnlyList<int> GetStaleTrialIds(int studyId) => Read(tx =>
    {
        // Parsed, not compared as text: Optuna itself writes "YYYY-MM-DD HH:MM:SS" without the fraction.
        DateTime cutoff = DateTime.UtcNow - GracePeriod;
        return Rows(tx, "SELECT t.trial_id, h.heartbeat FROM trials t JOIN trial_heartbeats h ON h.trial_id=t.trial_id " +
                        "WHERE t.study_id=$s AND t.state='RUNNING' ORDER BY t.trial_id",
                r => (Id: r.GetInt32(0), Beat: SqliteCodec.ParseDate(r.GetValue(1))), ("$s", studyId))
            .Where(r => r.Beat is { } b && DateTime.SpecifyKind(b, DateTimeKind.Utc) < cutoff)
            .Select(r => r.Id).ToList();
    });

    // ---- row writers ----

    private void UpsertParam(SqliteTransaction tx, int trialId, string name, double value, Distribution distribution) =>
        Exec(tx, "INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES ($t, $n, $v, $d) " +
                 "ON CONFLICT(trial_id, param_name) DO UPDATE SET param_value=excluded.param_value, distribution_json=excluded.distribution_json",
            ("$t", trialId), ("$n", name), ("$v", value), ("$d", distribution.ToJson()));

    private void UpsertValues(SqliteTransaction tx, int trialId, IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            var (v, type) = SqliteCodec.EncodeValue(values[i]);
            Exec(tx, "INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES ($t, $o, $v, $ty) " +
                     "ON CONFLICT(trial_id, objective) DO UPDATE SET value=excluded.value, value_type=excluded.value_type",
                ("$t", trialId), ("$o", i), ("$v", v), ("$ty", type));
        }
    }

    private void UpsertIntermediate(SqliteTransaction tx, int trialId, int step, double value)
    {
        var (v, type) = SqliteCodec.EncodeIntermediate(value);
        Exec(tx, "INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) " +
                 "VALUES ($t, $s, $v, $ty) ON CONFLICT(trial_id, step) DO UPDATE SET " +
                 "intermediate_value=excluded.intermediate_value, intermediate_value_type=excluded.intermediate_value_type",
            ("$t", trialId), ("$s", step), ("$v", v), ("$ty", type));
    }

    private void UpsertTrialAttr(SqliteTransaction tx, string table, int trialId, string key, object? value) =>
        Exec(tx, $"INSERT INTO {table} (trial_id, \"key\", value_json) VALUES ($t, $k, $v) " +
                 "ON CONFLICT(trial_id, \"key\") DO UPDATE SET value_json=excluded.value_json",
            ("$t", trialId), ("$k", key), ("$v", AttrJson.Encode(value)));

    // ---- trial reader ----

    private List<FrozenTrial> LoadTrials(SqliteTransaction tx, string where, int key, IReadOnlyCollection<TrialState>? states)
    {
        var rows = Rows(tx, $"SELECT t.trial_id, t.number, t.state, t.datetime_start, t.datetime_complete FROM trials t WHERE {where} ORDER BY t.number, t.trial_id",
            r => (Id: r.GetInt32(0), Number: r.IsDBNull(1) ? 0 : r.GetInt32(1), State: TrialStateExtensions.ParseOptunaName(r.GetString(2)),
                Start: SqliteCodec.ParseDate(r.GetValue(3)), Complete: SqliteCodec.ParseDate(r.GetValue(4))), ("$x", key));
        if (states is not null) rows = rows.Where(r => states.Contains(r.State)).ToList();
        if (rows.Count == 0) return [];

        var parts = rows.ToDictionary(r => r.Id, _ => new TrialParts());
        string join = $"JOIN trials t ON x.trial_id=t.trial_id WHERE {where}";
        var distCache = new Dictionary<string, Distribution>();
        foreach (var (id, name, value, json) in Rows(tx, $"SELECT x.trial_id, x.param_name, x.param_value, x.distribution_json FROM trial_params x {join} ORDER BY x.param_id",
                     r => (r.GetInt32(0), r.GetString(1), r.GetDouble(2), r.GetString(3)), ("$x", key)))
        {
            if (!parts.TryGetValue(id, out TrialParts? p)) continue;
            if (!distCache.TryGetValue(json, out Distribution? d)) distCache[json] = d = DistributionJson.FromJson(json);
            p.Params[name] = value;
            p.Distributions[name] = d;
        }
        foreach (var (id, objective, value) in Rows(tx, $"SELECT x.trial_id, x.objective, x.value, x.value_type FROM trial_values x {join}",
                     r => (r.GetInt32(0), r.GetInt32(1), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("$x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Values[objective] = value;
        foreach (var (id, step, value) in Rows(tx, $"SELECT x.trial_id, x.step, x.intermediate_value, x.intermediate_value_type FROM trial_intermediate_values x {join}",
                     r => (r.GetInt32(0), r.GetInt32(1), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("$x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Intermediate[step] = value;
        foreach (var (id, k, json) in Rows(tx, $"SELECT x.trial_id, x.\"key\", x.value_json FROM trial_user_attributes x {join} ORDER BY x.trial_user_attribute_id",
                     r => (r.GetInt32(0), r.GetString(1), r.GetString(2)), ("$x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.UserAttrs[k] = AttrJson.Decode(json);
        foreach (var (id, k, json) in Rows(tx, $"SELECT x.trial_id, x.\"key\", x.value_json FROM trial_system_attributes x {join} ORDER BY x.trial_system_attribute_id",
                     r => (r.GetInt32(0), r.GetString(1), r.GetString(2)), ("$x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.SystemAttrs[k] = AttrJson.Decode(json);

        return rows.Select(r => parts[r.Id].Freeze(r.Id, r.Number, r.State, r.Start, r.Complete)).ToList();
    }


    // ---- plumbing ----

    private void RequireStudy(SqliteTransaction tx, int studyId)
    {
        if (Scalar(tx, "SELECT 1 FROM studies WHERE study_id=$s", ("$s", studyId)) is null)
            throw new StudyNotFoundException($"id {studyId} in {Path}");
    }

    private (int StudyId, TrialState State) RequireUpdatable(SqliteTransaction tx, int trialId)
    {
        var row = Rows(tx, "SELECT study_id, number, state FROM trials WHERE trial_id=$t",
            r => (r.GetInt32(0), r.GetInt32(1), TrialStateExtensions.ParseOptunaName(r.GetString(2))), ("$t", trialId));
        if (row.Count == 0) throw new KeyNotFoundException($"No trial with id {trialId} in {Path}.");
        var (studyId, number, state) = row[0];
        StorageRules.CheckUpdatable(number, state);
        return (studyId, state);
    }

    private T Write<T>(Func<SqliteTransaction, T> body)
    {
        lock (_gate)
        {
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: false);
            T result = body(tx);
            tx.Commit();
            return result;
        }
    }

    private T Read<T>(Func<SqliteTransaction, T> body)
    {
        lock (_gate)
        {
            // One deferred transaction = one consistent snapshot across the several SELECTs of a trial list.
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: true);
            T result = body(tx);
            tx.Commit();
            return result;
        }
    }

    private void Pragma(string sql)
    {
        using var cmd = new SqliteCommand(sql, _connection);
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql, (string, object)[] args)
    {
        var cmd = new SqliteCommand(sql, _connection, tx);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }

    private void Exec(SqliteTransaction tx, string sql, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    private object? Scalar(SqliteTransaction tx, string sql, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(tx, sql, args);
        object? v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    private long LastId(SqliteTransaction tx) => (long)Scalar(tx, "SELECT last_insert_rowid()")!;

    private List<T> Rows<T>(SqliteTransaction tx, string sql, Func<SqliteDataReader, T> map, params (string, object)[] args)
    {
        using SqliteCommand cmd = Command(tx, sql, args);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    }
}
