using System.Reflection;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage.Tests.Contract;
using Npgsql;

namespace EdgeAutoMl.Storage.Tests.Postgres;

[Collection("Postgres")]
public sealed class PostgresStorageTests(LazyPostgres pg)
{
    /// <summary>Every storage contract fact, run against a fresh PostgreSQL database.</summary>
    public static IEnumerable<object[]> ContractFacts() =>
        typeof(StorageContractTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .Select(m => new object[] { m.Name });

    [PostgresTheory]
    [MemberData(nameof(ContractFacts))]
    public void Storage_contract(string fact)
    {
        using var contract = new PostgresContract(new PostgresStorage(pg.Server.ConnectionString(pg.Server.CreateDatabase())));
        try
        {
            typeof(StorageContractTests).GetMethod(fact)!.Invoke(contract, null);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private sealed class PostgresContract(PostgresStorage storage) : StorageContractTests
    {
        protected override IStorage Storage { get; } = storage;
    }

    [PostgresFact]
    public void Url_opens_optunas_tables_with_native_enums()
    {
        string db = pg.Server.CreateDatabase();
        using var storage = (PostgresStorage)StorageUrl.Open(pg.Server.Url(db, "?heartbeat_interval=30"));
        Assert.Equal("v3.2.0.a", storage.SchemaRevision);
        Assert.Equal(TimeSpan.FromSeconds(30), storage.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), storage.GracePeriod);
        int s = storage.CreateNewStudy([StudyDirection.Maximize], "x");
        storage.SetTrialStateValues(storage.CreateNewTrial(s), TrialState.Complete, [double.NegativeInfinity]);

        using var c = new NpgsqlConnection(pg.Server.ConnectionString(db));
        c.Open();
        string Q(string sql) { using var cmd = new NpgsqlCommand(sql, c); return Convert.ToString(cmd.ExecuteScalar())!; }
        Assert.Equal("trialstate", Q("SELECT pg_typeof(state)::text FROM trials"));
        Assert.Equal("COMPLETE", Q("SELECT state::text FROM trials"));
        Assert.Equal("MAXIMIZE", Q("SELECT direction::text FROM study_directions"));
        Assert.Equal("INF_NEG", Q("SELECT value_type::text FROM trial_values"));
        Assert.Equal("12", Q("SELECT schema_version FROM version_info"));
        // A second storage on the same database finds the schema instead of creating it again.
        using var again = new PostgresStorage(pg.Server.ConnectionString(db));
        Assert.Equal(["x"], again.GetAllStudyNames());
    }

    [PostgresFact]
    public void Four_workers_share_one_study_without_losing_or_duplicating_trials()
    {
        string db = pg.Server.CreateDatabase();
        const int workers = 4, perWorker = 25, enqueued = 40;
        using (var setup = new PostgresStorage(pg.Server.ConnectionString(db)))
        {
            Study s = Study.Create(setup, "shared", StudyDirection.Minimize, new Search.Samplers.RandomSampler(0));
            for (int i = 0; i < enqueued; i++) s.EnqueueTrial(new Dictionary<string, object?> { ["x"] = (double)i });
        }
        var evaluated = new System.Collections.Concurrent.ConcurrentBag<(int Number, double X)>();
        // Each worker has its own storage object, i.e. its own connection pool, as separate processes would.
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            using var storage = new PostgresStorage(pg.Server.ConnectionString(db));
            Study study = Study.Load(storage, "shared", new Search.Samplers.RandomSampler(w + 1));
            study.Optimize(t =>
            {
                double x = t.SuggestFloat("x", 0, 1000);
                evaluated.Add((t.Number, x));
                return x;
            }, perWorker);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        using var check = new PostgresStorage(pg.Server.ConnectionString(db));
        var trials = check.GetAllTrials(check.GetStudyIdFromName("shared"));
        Assert.Equal(workers * perWorker, trials.Count);
        Assert.Equal(Enumerable.Range(0, workers * perWorker), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(workers * perWorker, evaluated.Select(e => e.Number).Distinct().Count());
        // Every enqueued configuration was evaluated exactly once.
        for (int i = 0; i < enqueued; i++)
            Assert.Single(trials, t => t.SystemAttrs.ContainsKey(Trial.FixedParamsKey) && (double)t.Params["x"]! == i);
    }

    [PostgresFact]
    public void A_trial_whose_heartbeat_stopped_is_failed_as_stale_and_requeued_with_its_history()
    {
        using var storage = new PostgresStorage(pg.Server.ConnectionString(pg.Server.CreateDatabase()),
            heartbeatInterval: TimeSpan.FromMilliseconds(200), gracePeriod: TimeSpan.FromSeconds(2));
        Contract.HeartbeatScenario.Stale_trial_is_failed_and_requeued_with_its_history(storage);
    }

    [PostgresFact]
    public void Optimize_of_another_worker_reruns_a_dead_workers_trial()
    {
        string cs = pg.Server.ConnectionString(pg.Server.CreateDatabase());
        using var a = new PostgresStorage(cs, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        using var b = new PostgresStorage(cs, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
        Contract.HeartbeatScenario.Optimize_of_another_worker_reruns_a_dead_workers_trial(a, b);
    }

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(2)]
    public void Cached_reads_equal_uncached_reads_while_other_writers_change_the_study(int seed)
    {
        string cs = pg.Server.ConnectionString(pg.Server.CreateDatabase());
        Contract.CacheScenario.Cached_reads_equal_uncached_reads_while_other_writers_change_the_study(
            cache => new PostgresStorage(cs, cacheFinishedTrials: cache), seed);
    }
}
