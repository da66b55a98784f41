using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Storage.Postgres;
using EdgeAutoMl.Storage.Rdb;
using EdgeAutoMl.Storage.Sqlite;
using Npgsql;

namespace EdgeAutoMl.Storage;

/// <summary>
/// PostgreSQL storage with Optuna's RDB tables (Npgsql), for several workers — threads, processes or hosts — sharing
/// one study. Every call is one transaction. Races are settled by row locks: trial numbers are assigned under a lock
/// on the study row, a WAITING trial is claimed with <c>FOR UPDATE SKIP LOCKED</c>, and every trial update locks the
/// trial row (<c>SELECT … FOR UPDATE</c>) before checking that it is still modifiable. Heartbeats use the server's
/// clock. Thread-safe (a pooled connection per call).
/// </summary>
public sealed class PostgresStorage : IStorage, IHeartbeatStorage, IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _where;
    private readonly FinishedTrialCache? _cache;

    /// <summary>Connects (creating Optuna's tables in an empty database).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="heartbeatInterval">How often running trials beat; null disables heartbeats.</param>
    /// <param name="gracePeriod">Staleness threshold; default 2 × <paramref name="heartbeatInterval"/> (Optuna's default).</param>
    /// <param name="cacheFinishedTrials">Keep finished trials in memory and read only new or unfinished trials' rows (see
    /// <see cref="Rdb.FinishedTrialCache"/>); off only to measure what the cache saves.</param>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the login.</exception>
    public PostgresStorage(string connectionString, TimeSpan? heartbeatInterval = null, TimeSpan? gracePeriod = null,
        bool cacheFinishedTrials = true)
    {
        _cache = cacheFinishedTrials ? new FinishedTrialCache() : null;
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        _where = $"'{csb.Database}' on {csb.Host}:{csb.Port}";
        if (heartbeatInterval is { } hi && hi <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(heartbeatInterval), "must be positive.");
        HeartbeatInterval = heartbeatInterval;
        GracePeriod = gracePeriod ?? (heartbeatInterval is { } h ? 2 * h : TimeSpan.FromMinutes(2));
        _source = NpgsqlDataSource.Create(csb);
        try
        {
            SchemaRevision = PostgresSchema.EnsureCreated(_source, _where);
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    /// <summary>The alembic revision of the database (v3.2.0.a when created here).</summary>
    public string SchemaRevision { get; }

    /// <inheritdoc />
    public TimeSpan? HeartbeatInterval { get; }

    /// <inheritdoc />
    public TimeSpan GracePeriod { get; }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _source.Dispose();

    // ---- studies ----

    /// <inheritdoc />
    public int CreateNewStudy(IReadOnlyList<StudyDirection> directions, string studyName)
    {
        try
        {
            return Tx(s =>
            {
                int id = Convert.ToInt32(s.Scalar("INSERT INTO studies (study_name) VALUES (@n) RETURNING study_id", ("n", studyName)));
                for (int i = 0; i < directions.Count; i++)
                    s.Exec("INSERT INTO study_directions (direction, study_id, objective) VALUES (@d::studydirection, @s, @o)",
                        ("d", directions[i].ToOptunaName()), ("s", id), ("o", i));
                return id;
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicatedStudyException(studyName);
        }
    }

    /// <inheritdoc />
    public void DeleteStudy(int studyId) => Tx(s =>
    {
        _cache?.Forget(studyId);
        RequireStudy(s, studyId, forUpdate: true);
        foreach (string table in new[] { "trial_params", "trial_values", "trial_intermediate_values", "trial_user_attributes",
                     "trial_system_attributes", "trial_heartbeats" })
            s.Exec($"DELETE FROM {table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id=@s)", ("s", studyId));
        foreach (string table in new[] { "trials", "study_directions", "study_user_attributes", "study_system_attributes", "studies" })
            s.Exec($"DELETE FROM {table} WHERE study_id=@s", ("s", studyId));
        return 0;
    });

    /// <inheritdoc />
    public int GetStudyIdFromName(string studyName) => Tx(s =>
        s.Scalar("SELECT study_id FROM studies WHERE study_name=@n", ("n", studyName)) is { } id
            ? Convert.ToInt32(id)
            : throw new StudyNotFoundException($"name '{studyName}' in {_where}"));

    /// <inheritdoc />
    public string GetStudyNameFromId(int studyId) => Tx(s =>
        s.Scalar("SELECT study_name FROM studies WHERE study_id=@s", ("s", studyId)) as string
        ?? throw new StudyNotFoundException($"id {studyId} in {_where}"));

    /// <inheritdoc />
    public IReadOnlyList<string> GetAllStudyNames() => Tx(s => s.Rows("SELECT study_name FROM studies ORDER BY study_id", r => r.GetString(0)));

    /// <inheritdoc />
    public IReadOnlyList<StudyDirection> GetStudyDirections(int studyId) => Tx(s =>
    {
        RequireStudy(s, studyId);
        return s.Rows("SELECT direction::text FROM study_directions WHERE study_id=@s ORDER BY objective",
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
        Tx(s =>
        {
            RequireStudy(s, studyId);
            s.Exec($"INSERT INTO {table} (study_id, key, value_json) VALUES (@s, @k, @v) " +
                   "ON CONFLICT (study_id, key) DO UPDATE SET value_json=EXCLUDED.value_json", ("s", studyId), ("k", key), ("v", json));
            return 0;
        });
    }

    private IReadOnlyDictionary<string, object?> GetStudyAttrs(string table, int studyId) => Tx(s =>
    {
        RequireStudy(s, studyId);
        var result = new Dictionary<string, object?>();
        foreach (var (k, v) in s.Rows($"SELECT key, value_json FROM {table} WHERE study_id=@s ORDER BY 1",
                     r => (r.GetString(0), r.GetString(1)), ("s", studyId)))
            result[k] = AttrJson.Decode(v);
        return result;
    });

    // ---- trials ----

    /// <inheritdoc />
    public int CreateNewTrial(int studyId, FrozenTrial? template = null)
    {
        StorageRules.CheckValues(template?.Values);
        return Tx(s =>
        {
            // The study row lock serialises trial creation, so numbers are consecutive and unique across workers.
            RequireStudy(s, studyId, forUpdate: true);
            long number = Convert.ToInt64(s.Scalar("SELECT COUNT(*) FROM trials WHERE study_id=@s", ("s", studyId)));
            TrialState state = template?.State ?? TrialState.Running;
            string startSql = template is null ? "LOCALTIMESTAMP" : "@ds";
            int trialId = Convert.ToInt32(s.Scalar(
                $"INSERT INTO trials (number, study_id, state, datetime_start, datetime_complete) VALUES (@n, @s, @st::trialstate, {startSql}, @dc) RETURNING trial_id",
                ("n", (int)number), ("s", studyId), ("st", state.ToOptunaName()), ("ds", Unspecified(template?.DatetimeStart)),
                ("dc", Unspecified(template?.DatetimeComplete))));
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
    public int? ClaimWaitingTrial(int studyId) => Tx<int?>(s =>
    {
        // SKIP LOCKED: a row another worker is claiming right now is skipped, not waited for, so no two workers take it.
        if (s.Scalar("SELECT trial_id FROM trials WHERE study_id=@s AND state='WAITING' ORDER BY trial_id LIMIT 1 FOR UPDATE SKIP LOCKED",
                ("s", studyId)) is not { } id)
            return null;
        s.Exec("UPDATE trials SET state='RUNNING', datetime_start=LOCALTIMESTAMP WHERE trial_id=@t", ("t", id));
        return Convert.ToInt32(id);
    });

    /// <inheritdoc />
    public void SetTrialParam(int trialId, string paramName, double internalValue, Distribution distribution) => Tx(s =>
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
        return Tx(s =>
        {
            (_, TrialState current) = LockUpdatable(s, trialId);
            if (state == TrialState.Running && current != TrialState.Waiting) return false;
            if (values is not null) UpsertValues(s, trialId, values);
            string sql = state == TrialState.Running
                ? "UPDATE trials SET state=@st::trialstate, datetime_start=LOCALTIMESTAMP WHERE trial_id=@t"
                : state.IsFinished()
                    ? "UPDATE trials SET state=@st::trialstate, datetime_complete=LOCALTIMESTAMP WHERE trial_id=@t"
                    : "UPDATE trials SET state=@st::trialstate WHERE trial_id=@t";
            s.Exec(sql, ("st", state.ToOptunaName()), ("t", trialId));
            return true;
        });
    }

    /// <inheritdoc />
    public void SetTrialIntermediateValue(int trialId, int step, double value) => Tx(s =>
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
        Tx(s =>
        {
            LockUpdatable(s, trialId);
            UpsertTrialAttr(s, table, trialId, key, value);
            return 0;
        });
    }

    /// <inheritdoc />
    public FrozenTrial GetTrial(int trialId) => _cache?.FinishedTrial(trialId) ?? Tx(s =>
        PostgresTrialReader.Load(s, "t.trial_id=@x", trialId, null).FirstOrDefault()
        ?? throw new KeyNotFoundException($"No trial with id {trialId} in {_where}."));

    /// <inheritdoc />
    public IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null) => Tx(s =>
    {
        RequireStudy(s, studyId);
        if (_cache is null) return PostgresTrialReader.Load(s, "t.study_id=@x", studyId, states);
        return _cache.Merge(studyId, PostgresTrialReader.Load(s, "t.study_id=@x AND " + _cache.PendingCondition(studyId), studyId, null), states);
    }, readOnly: true);

    /// <inheritdoc />
    public int GetTrialIdFromStudyIdTrialNumber(int studyId, int trialNumber) => Tx(s =>
        s.Scalar("SELECT trial_id FROM trials WHERE study_id=@s AND number=@n", ("s", studyId), ("n", trialNumber)) is { } id
            ? Convert.ToInt32(id)
            : throw new KeyNotFoundException($"Study {studyId} has no trial number {trialNumber} in {_where}."));

    // ---- heartbeats ----

    /// <inheritdoc />
    public void RecordHeartbeat(int trialId) => Tx(s =>
        s.Exec("INSERT INTO trial_heartbeats (trial_id, heartbeat) VALUES (@t, LOCALTIMESTAMP) " +
               "ON CONFLICT (trial_id) DO UPDATE SET heartbeat=EXCLUDED.heartbeat", ("t", trialId)));

    /// <inheritdoc />
    public IReadOnlyList<int> GetStaleTrialIds(int studyId) => Tx(s =>
        s.Rows("SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id=t.trial_id " +
               "WHERE t.study_id=@s AND t.state='RUNNING' AND h.heartbeat < LOCALTIMESTAMP - @g ORDER BY t.trial_id",
            r => r.GetInt32(0), ("s", studyId), ("g", GracePeriod)));

    // ---- plumbing ----

    private void RequireStudy(PgSession s, int studyId, bool forUpdate = false)
    {
        if (s.Scalar("SELECT 1 FROM studies WHERE study_id=@s" + (forUpdate ? " FOR UPDATE" : ""), ("s", studyId)) is null)
            throw new StudyNotFoundException($"id {studyId} in {_where}");
    }

    // Locks the trial row for the rest of the transaction, then checks it may still change.
    private (int StudyId, TrialState State) LockUpdatable(PgSession s, int trialId)
    {
        var row = s.Rows("SELECT study_id, number, state::text FROM trials WHERE trial_id=@t FOR UPDATE",
            r => (r.GetInt32(0), r.GetInt32(1), TrialStateExtensions.ParseOptunaName(r.GetString(2))), ("t", trialId));
        if (row.Count == 0) throw new KeyNotFoundException($"No trial with id {trialId} in {_where}.");
        var (studyId, number, state) = row[0];
        StorageRules.CheckUpdatable(number, state);
        return (studyId, state);
    }

    private static void UpsertParam(PgSession s, int trialId, string name, double v, Distribution d) =>
        s.Exec("INSERT INTO trial_params (trial_id, param_name, param_value, distribution_json) VALUES (@t, @n, @v, @d) " +
               "ON CONFLICT (trial_id, param_name) DO UPDATE SET param_value=EXCLUDED.param_value, distribution_json=EXCLUDED.distribution_json",
            ("t", trialId), ("n", name), ("v", v), ("d", d.ToJson()));

    private static void UpsertValues(PgSession s, int trialId, IReadOnlyList<double> values)
    {
        for (int i = 0; i < values.Count; i++)
        {
            var (v, type) = SqliteCodec.EncodeValue(values[i]);
            s.Exec("INSERT INTO trial_values (trial_id, objective, value, value_type) VALUES (@t, @o, @v, @y::trialvaluetype) " +
                   "ON CONFLICT (trial_id, objective) DO UPDATE SET value=EXCLUDED.value, value_type=EXCLUDED.value_type",
                ("t", trialId), ("o", i), ("v", v), ("y", type));
        }
    }

    private static void UpsertIntermediate(PgSession s, int trialId, int step, double value)
    {
        var (v, type) = SqliteCodec.EncodeIntermediate(value);
        s.Exec("INSERT INTO trial_intermediate_values (trial_id, step, intermediate_value, intermediate_value_type) " +
               "VALUES (@t, @s, @v, @y::trialintermediatevaluetype) ON CONFLICT (trial_id, step) DO UPDATE SET " +
               "intermediate_value=EXCLUDED.intermediate_value, intermediate_value_type=EXCLUDED.intermediate_value_type",
            ("t", trialId), ("s", step), ("v", v), ("y", type));
    }

    private static void UpsertTrialAttr(PgSession s, string table, int trialId, string key, object? value) =>
        s.Exec($"INSERT INTO {table} (trial_id, key, value_json) VALUES (@t, @k, @v) " +
               "ON CONFLICT (trial_id, key) DO UPDATE SET value_json=EXCLUDED.value_json",
            ("t", trialId), ("k", key), ("v", AttrJson.Encode(value)));

    private static object? Unspecified(DateTime? d) => d is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Unspecified) : null;

    // One transaction per call; deadlocks and serialisation failures (possible under row locks) are retried.
    // A read-only call runs in REPEATABLE READ, so its several SELECTs (trials, then each child table) see one snapshot.
    private T Tx<T>(Func<PgSession, T> body, bool readOnly = false)
    {
        for (int attempt = 0; ; attempt++)
        {
            using NpgsqlConnection c = _source.OpenConnection();
            using NpgsqlTransaction tx = c.BeginTransaction(readOnly ? System.Data.IsolationLevel.RepeatableRead : System.Data.IsolationLevel.ReadCommitted);
            try
            {
                T result = body(new PgSession(c, tx));
                tx.Commit();
                return result;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // rolled back by disposing the transaction; try again
            }
        }
    }
}
