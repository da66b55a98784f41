using EdgeAutoMl.Search;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Storage.Tests.Sqlite;

public sealed class SqliteStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eaml-sqlite-").FullName;
    private string DbPath => Path.Combine(_dir, "s.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<string> Query(string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DbPath, Pooling = false }.ToString());
        c.Open();
        using var cmd = new SqliteCommand(sql, c);
        using var r = cmd.ExecuteReader();
        var rows = new List<string>();
        while (r.Read()) rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    [Theory]
    [InlineData(OptunaSchemaVersion.V3_0_0_d, "v3.0.0.d", "12|3.1.0")]
    [InlineData(OptunaSchemaVersion.V3_2_0_a, "v3.2.0.a", "12|3.2.0")]
    public void Creates_optunas_tables_and_version_rows(OptunaSchemaVersion schema, string alembic, string versionInfo)
    {
        using (new SqliteStorage(DbPath, schema)) { }
        Assert.Equal(
            ["alembic_version", "studies", "study_directions", "study_system_attributes", "study_user_attributes", "trial_heartbeats",
             "trial_intermediate_values", "trial_params", "trial_system_attributes", "trial_user_attributes", "trial_values", "trials",
             "version_info"],
            Query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"));
        Assert.Equal([alembic], Query("SELECT version_num FROM alembic_version"));
        Assert.Equal([versionInfo], Query("SELECT schema_version, library_version FROM version_info"));
        Assert.Equal(schema == OptunaSchemaVersion.V3_2_0_a, Query("SELECT name FROM sqlite_master WHERE type='index'").Contains("ix_trials_study_id"));
    }

    [Fact]
    public void Rows_use_optunas_encodings()
    {
        using (var s = new SqliteStorage(DbPath))
        {
            int study = s.CreateNewStudy([StudyDirection.Maximize], "enc");
            int t = s.CreateNewTrial(study);
            s.SetTrialParam(t, "act", 2, new Search.Distributions.CategoricalDistribution(new object?[] { "a", "b", "c" }));
            s.SetTrialIntermediateValue(t, 3, double.PositiveInfinity);
            s.SetTrialUserAttr(t, "k", new Dictionary<string, object?> { ["x"] = 1.0 });
            s.SetTrialStateValues(t, TrialState.Complete, [double.NegativeInfinity]);
        }
        Assert.Equal(["MAXIMIZE|1|0"], Query("SELECT direction, study_id, objective FROM study_directions"));
        Assert.Equal(["act|2|{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [\"a\", \"b\", \"c\"]}}"],
            Query("SELECT param_name, param_value, distribution_json FROM trial_params"));
        Assert.Equal(["NULL|INF_NEG"], Query("SELECT value, value_type FROM trial_values"));
        Assert.Equal(["3|NULL|INF_POS"], Query("SELECT step, intermediate_value, intermediate_value_type FROM trial_intermediate_values"));
        Assert.Equal(["{\"x\": 1.0}"], Query("SELECT value_json FROM trial_user_attributes"));
        string row = Query("SELECT number, state, datetime_start FROM trials").Single();
        Assert.Matches(@"^0\|COMPLETE\|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$", row);
    }

    [Fact]
    public void An_existing_file_keeps_its_schema()
    {
        using (new SqliteStorage(DbPath, OptunaSchemaVersion.V3_0_0_d)) { }
        using var reopened = new SqliteStorage(DbPath, OptunaSchemaVersion.V3_2_0_a);
        Assert.Equal(OptunaSchemaVersion.V3_0_0_d, reopened.Schema);
    }

    [Fact]
    public void Unknown_alembic_revision_is_refused_with_a_clear_message()
    {
        using (new SqliteStorage(DbPath)) { }
        Query("UPDATE alembic_version SET version_num='v9.9.9.z'");
        var e = Assert.Throws<NotSupportedException>(() => new SqliteStorage(DbPath));
        Assert.Contains("v9.9.9.z", e.Message);
    }

    [Fact]
    public void Every_write_is_visible_to_another_connection_before_dispose()
    {
        var writer = new SqliteStorage(DbPath);
        int study = writer.CreateNewStudy([StudyDirection.Minimize], "durable");
        int t = writer.CreateNewTrial(study);
        writer.SetTrialParam(t, "bits", 4, new Search.Distributions.IntDistribution(2, 8));
        // No Dispose, no checkpoint: a process killed here has already committed the param.
        using var reader = new SqliteStorage(DbPath);
        Assert.Equal(4L, reader.GetAllTrials(reader.GetStudyIdFromName("durable")).Single().Params["bits"]);
        writer.Dispose();
    }

    [Fact]
    public void Two_processes_worth_of_connections_never_claim_the_same_trial()
    {
        using var a = new SqliteStorage(DbPath);
        using var b = new SqliteStorage(DbPath);
        int study = a.CreateNewStudy([StudyDirection.Minimize], "shared");
        for (int i = 0; i < 30; i++) a.CreateNewTrial(study, new FrozenTrial { State = TrialState.Waiting });
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.ForEach(new[] { a, b, a, b }, s =>
        {
            while (s.ClaimWaitingTrial(study) is { } id) claimed.Add(id);
        });
        Assert.Equal(30, claimed.Distinct().Count());
        Assert.Equal(30, claimed.Count);
    }

    [Fact]
    public void Resume_after_a_crash_fails_running_trials_and_requeues_them()
    {
        using (var s = new SqliteStorage(DbPath))
        {
            var study = Study.Create(s, "resume", StudyDirection.Minimize);
            study.Optimize(t => t.SuggestFloat("x", 0, 1), 3);
            Trial running = study.Ask();
            running.SuggestInt("bits", 2, 8);
        }
        using var again = new SqliteStorage(DbPath);
        var resumed = Study.Load(again, "resume");
        Assert.Equal([3], resumed.FailStaleTrials());
        resumed.Optimize(t => t.SuggestInt("bits", 2, 8), 1);
        var trials = resumed.Trials;
        Assert.Equal(TrialState.Fail, trials[3].State);
        Assert.Equal(trials[3].Params["bits"], trials[4].Params["bits"]);
        Assert.Equal(TrialState.Complete, trials[4].State);
    }

    [Fact]
    public void A_trial_whose_heartbeat_stopped_is_failed_as_stale_and_requeued_with_its_history()
    {
        using var storage = new SqliteStorage(DbPath, heartbeatInterval: TimeSpan.FromMilliseconds(200), gracePeriod: TimeSpan.FromSeconds(2));
        Contract.HeartbeatScenario.Stale_trial_is_failed_and_requeued_with_its_history(storage);
        // One heartbeat row per trial that beat, in Optuna's table and format (CURRENT_TIMESTAMP: UTC, whole seconds).
        Assert.All(Query("SELECT heartbeat FROM trial_heartbeats"), h => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", h));
        Assert.Equal(Query("SELECT COUNT(DISTINCT trial_id) FROM trial_heartbeats"), Query("SELECT COUNT(*) FROM trial_heartbeats"));
    }

    [Fact]
    public void Optimize_of_another_worker_reruns_a_dead_workers_trial()
    {
        using var a = new SqliteStorage(DbPath, heartbeatInterval: TimeSpan.FromMilliseconds(200), gracePeriod: TimeSpan.FromSeconds(2));
        using var b = new SqliteStorage(DbPath, heartbeatInterval: TimeSpan.FromMilliseconds(200), gracePeriod: TimeSpan.FromSeconds(2));
        Contract.HeartbeatScenario.Optimize_of_another_worker_reruns_a_dead_workers_trial(a, b);
    }

    [Fact]
    public void Heartbeat_options_come_from_the_url()
    {
        using var s = (SqliteStorage)StorageUrl.Open($"sqlite:///{DbPath}?heartbeat_interval=5&grace_period=30");
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30)), (s.HeartbeatInterval!.Value, s.GracePeriod));
        using var plain = new SqliteStorage(DbPath);
        Assert.Null(plain.HeartbeatInterval);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cached_reads_equal_uncached_reads_while_other_writers_change_the_study(int seed) =>
        Contract.CacheScenario.Cached_reads_equal_uncached_reads_while_other_writers_change_the_study(
            cache => new SqliteStorage(DbPath, cacheFinishedTrials: cache), seed);
}
