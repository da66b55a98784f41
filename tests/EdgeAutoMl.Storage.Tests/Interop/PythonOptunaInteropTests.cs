using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Storage.Tests.Interop;

/// <summary>
/// Round trips through Debian's python3-optuna (3.1, alembic head v3.0.0.d): what C# writes, optuna.load_study reads
/// identically, and the other way round.
/// </summary>
public sealed class PythonOptunaInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eaml-interop-").FullName;
    private string DbPath => Path.Combine(_dir, "study.db");
    private string Url => "sqlite:///" + DbPath;
    private static string Script => Path.Combine(AppContext.BaseDirectory, "Interop", "optuna_interop.py");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RunPython(params string[] args)
    {
        var (code, stdout, stderr) = PythonRunner.Run(args.Prepend(Script), TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"python3 {string.Join(' ', args)} exited {code}:\n{stderr}");
        return stdout.Trim();
    }

    [OptunaFact]
    public void Python_optuna_reads_a_study_written_by_csharp()
    {
        using (var storage = new SqliteStorage(DbPath, OptunaSchemaVersion.V3_0_0_d))
        {
            var single = Study.Create(storage, "cs-single", StudyDirection.Minimize, new RandomSampler(3));
            single.SetUserAttr("model", "mnist.onnx");
            single.SetUserAttr("budget", new Dictionary<string, object?> { ["flash"] = 1048576, ["ram"] = 131072.5 });
            single.Optimize(t =>
            {
                int bits = t.SuggestInt("bits", 2, 8);
                double lr = t.SuggestFloat("lr", 1e-4, 1e-1, log: true);
                double scale = t.SuggestFloat("scale", 0, 1, step: 0.25);
                object? act = t.SuggestCategorical("act", new object?[] { "relu", null, 2, 1.5 });
                t.SetUserAttr("layers", new object?[] { "conv1", bits, true });
                t.Report(lr * bits, 0);
                t.Report(double.PositiveInfinity, 1);
                if (t.Number == 2) throw new InvalidOperationException("flash failed");
                if (t.Number == 3) throw new TrialPrunedException();
                return bits * lr + scale + (act is "relu" ? 0 : 1);
            }, 8);

            var multi = Study.Create(storage, "cs-multi", [StudyDirection.Maximize, StudyDirection.Minimize],
                new TpeSampler(4, nStartupTrials: 4));
            multi.Optimize(t =>
            {
                double x = t.SuggestFloat("x", 0, 1);
                int y = t.SuggestInt("y", 1, 100, log: true);
                t.SetConstraints(x - 0.9);
                return [x, y];
            }, 10);
            Assert.Equal(TrialState.Fail, single.Trials[2].State);
            Assert.Equal(TrialState.Pruned, single.Trials[3].State);
        }

        using var reopened = new SqliteStorage(DbPath);
        string expected = StudyJson.Describe(reopened, "cs-single", "cs-multi");
        string actual = RunPython("describe", Url, "cs-single", "cs-multi");
        Assert.Equal(expected, actual);
        Assert.Contains("\"state\": \"PRUNED\"", actual);
        Assert.Contains("\"state\": \"FAIL\"", actual);
    }

    [OptunaFact]
    public void Csharp_reads_and_continues_a_study_written_by_python_optuna()
    {
        string fromPython = RunPython("create", Url);
        using (var storage = new SqliteStorage(DbPath, OptunaSchemaVersion.V3_2_0_a))
        {
            Assert.Equal(OptunaSchemaVersion.V3_0_0_d, storage.Schema); // the file keeps the schema Python gave it
            Assert.Equal(fromPython, StudyJson.Describe(storage, "py-single", "py-multi"));

            // Continue the Python study from C#: the enqueued trial comes first.
            var study = Study.Load(storage, "py-single", new TpeSampler(1, nStartupTrials: 2));
            Assert.Equal("python", study.UserAttrs["origin"]);
            study.Optimize(t =>
            {
                int bits = t.SuggestInt("bits", 2, 8);
                double lr = t.SuggestFloat("lr", 1e-4, 1e-1, log: true);
                double scale = t.SuggestFloat("scale", 0, 1, step: 0.25);
                object? act = t.SuggestCategorical("act", new object?[] { "relu", null, 2, 1.5 });
                return bits * lr + scale + (act is "relu" ? 0 : 1);
            }, 3);
            FrozenTrial enqueued = study.Trials[6];
            Assert.Equal(TrialState.Complete, enqueued.State);
            Assert.Equal(5L, enqueued.Params["bits"]);
            Assert.Equal("relu", enqueued.Params["act"]);
            Assert.Equal(9, study.Trials.Count);
            Assert.True(study.Trials.Skip(6).All(t => t.State == TrialState.Complete));
        }

        using var reopened = new SqliteStorage(DbPath);
        Assert.Equal(StudyJson.Describe(reopened, "py-single", "py-multi"), RunPython("describe", Url, "py-single", "py-multi"));
    }

    [OptunaFact]
    public void Heartbeats_agree_with_python_optuna_both_ways()
    {
        // Grace 30 s: longer than two Python start-ups on a loaded machine; "dead" beats are then aged by a minute.
        using var storage = new SqliteStorage(DbPath, OptunaSchemaVersion.V3_0_0_d, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));
        int study = storage.CreateNewStudy([StudyDirection.Minimize], "hb");
        int deadCs = storage.CreateNewTrial(study), aliveCs = storage.CreateNewTrial(study);
        int deadPy = storage.CreateNewTrial(study), alivePy = storage.CreateNewTrial(study);
        storage.RecordHeartbeat(deadCs);
        storage.RecordHeartbeat(aliveCs);
        RunPython("beat", Url, "hb", "2"); // trial numbers 2 and 3 beaten by Python's RDBStorage
        RunPython("beat", Url, "hb", "3");
        // Age the dead trials' beats (each in the format its writer used) as if a minute had passed without a beat.
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            c.Open();
            using var cmd = new Microsoft.Data.Sqlite.SqliteCommand(
                $"UPDATE trial_heartbeats SET heartbeat=datetime(heartbeat, '-60 seconds') WHERE trial_id IN ({deadCs}, {deadPy})", c);
            Assert.Equal(2, cmd.ExecuteNonQuery());
        }

        // Each side finds exactly the two trials whose last beat (by either side) is old, and not the fresh ones.
        Assert.Equal("[0, 2]", RunPython("stale", Url, "hb", "30"));
        Assert.Equal([deadCs, deadPy], storage.GetStaleTrialIds(study));
        Assert.DoesNotContain(alivePy, storage.GetStaleTrialIds(study));
    }
}
