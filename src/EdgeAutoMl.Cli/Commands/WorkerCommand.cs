using System.CommandLine;
using System.Globalization;
using EdgeAutoMl.Bench;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Cli.Commands;

/// <summary>
/// <c>edgeautoml worker</c>: joins a study that a <c>search</c> started (from this or another host) and evaluates
/// trials with this host's own board until the study's trial budget is spent. Everything about the search comes from
/// the study (<see cref="StudySettings"/>); only the board side is local. With <c>--function</c> it instead joins a
/// benchmark-function study (for storage tests: several processes sharing one study).
/// </summary>
internal static class WorkerCommand
{
    /// <summary>Heartbeat interval a worker uses when the storage URL names none.</summary>
    public const int DefaultHeartbeatSeconds = 10;

    public static Command Create()
    {
        var cmd = new Command("worker",
            "Join a running search from another process or host and evaluate its trials with this host's board, until the " +
            "study's trial budget (--trials of the search) is spent. Model, data, objectives, constraints, sampler and " +
            "measurement options come from the study itself (stored by `search`; files are checked by SHA-256 and must exist " +
            "at the same paths). Heartbeats are on (storage URL option heartbeat_interval, default " +
            $"{DefaultHeartbeatSeconds} s), so the trial of a worker that dies is failed as stale and re-queued; start the " +
            "search with the same ?heartbeat_interval=S so its trials are covered too. Example: " +
            "edgeautoml search ... --storage 'postgresql://me@db/optuna?heartbeat_interval=10' --study s1 & " +
            "edgeautoml worker --storage 'postgresql://me@db/optuna?heartbeat_interval=10' --study s1 --port /dev/ttyACM0 --monitor ppk2:/dev/ttyACM1");
        var storage = new Option<string>("--storage") { Description = "Storage URL of the shared study: postgresql://user@host:port/db (several hosts) or sqlite:///FILE.db (one host); heartbeat_interval=S and grace_period=S may follow as ?query", Required = true };
        var study = new Option<string>("--study") { Description = "Name of the study to join", Required = true };
        var board = CommonOptions.Board();
        var port = CommonOptions.Port();
        var monitor = CommonOptions.Monitor();
        var boards = new Option<int>("--boards") { Description = "Simulated boards this worker measures on in parallel with --port sim", DefaultValueFactory = _ => 1 };
        var deviceAttempts = new Option<int>("--device-attempts") { Description = "Boards a trial's device rung may try when boards stop answering, before the trial fails", DefaultValueFactory = _ => 3 };
        var seed = new Option<int?>("--seed") { Description = "Sampler seed of this worker (default: random, so workers do not propose the same configurations)" };
        var function = new Option<string?>("--function") { Description = "Instead of a search study, join (or create) a study of a benchmark function: " + string.Join(", ", Functions.Names) + "; for storage tests" };
        var trials = new Option<int>("--trials") { Description = "With --function: trials this worker runs", DefaultValueFactory = _ => 100 };
        var sampler = new Option<string>("--sampler") { Description = "With --function: " + string.Join(", ", SamplerBenchmark.SamplerNames), DefaultValueFactory = _ => "random" };
        var trialSeconds = new Option<double>("--trial-seconds") { Description = "With --function: time each evaluation takes (sleep), so a trial can be caught mid-run", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { storage, study, board, port, monitor, boards, deviceAttempts, seed, function, trials, sampler, trialSeconds, json })
            cmd.Options.Add(o);

        cmd.SetAction((r, ct) => CliRunner.RunAsync(r.GetValue(json), async () =>
        {
            string url = WithHeartbeat(r.GetValue(storage)!);
            string name = r.GetValue(study)!;
            int workerSeed = r.GetValue(seed) ?? Random.Shared.Next();
            if (r.GetValue(function) is { } fn)
                return RunFunction(url, name, Functions.ByName(fn), r.GetValue(sampler)!, workerSeed, r.GetValue(trials), r.GetValue(trialSeconds), r.GetValue(json), ct);

            var local = new SearchSettings
            {
                ModelPath = "", Data = new DataSource(null, null, null, null), // replaced by the study's
                Board = CommonOptions.BoardFor(r.GetValue(board), r.GetValue(port)!),
                Port = r.GetValue(port)!,
                Monitor = r.GetValue(monitor)!,
                BoardCount = r.GetValue(boards) >= 1 ? r.GetValue(boards) : throw new ArgumentException("--boards must be at least 1"),
                DeviceAttempts = r.GetValue(deviceAttempts) >= 1 ? r.GetValue(deviceAttempts) : throw new ArgumentException("--device-attempts must be at least 1"),
            };
            SearchSettings settings;
            IStorage store = StorageUrl.Open(url);
            try
            {
                Study existing = Study.Load(store, RequireStudy(store, name, url));
                settings = StudySettings.Load(existing, url, local) with { Join = true, Seed = workerSeed };
            }
            finally { (store as IDisposable)?.Dispose(); }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"worker {StudyBudget.ThisWorker}: joining study '{name}' (budget {settings.Trials} trials, sampler {settings.Sampler}, seed {workerSeed})"));
            return await SearchCommand.RunAndPrintAsync(settings, r.GetValue(json), ct);
        }));
        return cmd;
    }

    /// <summary>The URL with Optuna's heartbeat option added when it has none (a worker always beats).</summary>
    public static string WithHeartbeat(string url)
    {
        if (url.Contains("heartbeat_interval=", StringComparison.Ordinal)) return url;
        if (!url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("postgres", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--storage '{url}': a worker shares a study with other processes, so it needs sqlite:///FILE.db or postgresql://…");
        return url + (url.Contains('?') ? "&" : "?") + $"heartbeat_interval={DefaultHeartbeatSeconds}";
    }

    private static string RequireStudy(IStorage store, string name, string url)
    {
        var names = store.GetAllStudyNames();
        if (names.Contains(name)) return name;
        throw new ArgumentException($"study '{name}' not found in {url}" + (names.Count == 0
            ? " (the storage holds no study): start it with `edgeautoml search ... --storage URL --study NAME`"
            : $"; studies there: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : "")}"));
    }

    // A benchmark-function study shared by several processes: create-or-load, then this worker's own trial count
    // through Optimize (stale trials of dead workers are swept and re-run first, heartbeats on).
    private static int RunFunction(string url, string name, BenchmarkFunction f, string samplerName, int seed, int trials,
        double trialSeconds, bool json, CancellationToken ct)
    {
        if (trials < 1) throw new ArgumentException("--trials must be at least 1");
        if (trialSeconds < 0) throw new ArgumentException("--trial-seconds must be >= 0");
        IStorage store = StorageUrl.Open(url);
        try
        {
            var directions = Enumerable.Repeat(StudyDirection.Minimize, f.Objectives).ToArray();
            Study study = Study.Create(store, name, directions, SamplerBenchmark.CreateSampler(samplerName, seed), loadIfExists: true);
            var ran = new List<int>();
            study.Optimize(t =>
            {
                t.SetSystemAttr(StudyBudget.WorkerKey, StudyBudget.ThisWorker);
                double[] x = f.Suggest(t);
                if (trialSeconds > 0) Task.Delay(TimeSpan.FromSeconds(trialSeconds), ct).Wait(ct);
                return f.Evaluate(x);
            }, trials, [(_, t) => ran.Add(t.Number)], ct);
            if (json) JsonOut.Write(new { study = name, worker = StudyBudget.ThisWorker, function = f.Name, trials = ran });
            else Console.WriteLine($"worker {StudyBudget.ThisWorker}: ran {ran.Count} trials of '{name}' ({f.Name}): {string.Join(" ", ran)}");
            return 0;
        }
        finally { (store as IDisposable)?.Dispose(); }
    }
}
