using System.Diagnostics;
using System.Globalization;
using EdgeAutoMl.Bench;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;
using EdgeAutoMl.Storage.Tests.Postgres;

// Usage: EdgeAutoMl.Bench.Storage [--trials 1000] [--reps 15] [--pg postgresql://user@host:port/db] [--backends sqlite,postgres]
// At N finished trials, times GetAllTrials and one full suggest (Ask + every suggest call: what a sampler costs per trial)
// for TPE (hartmann6) and NSGA-II (zdt1) on SQLite and PostgreSQL, with the finished-trial cache off and on, interleaved
// rep by rep so both see the same study. In-memory storage is the floor. Without --pg a throwaway PostgreSQL 15 server
// is started (apt-get install postgresql).
var opts = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
int nTrials = int.Parse(opts.GetValueOrDefault("trials") ?? "1000", CultureInfo.InvariantCulture);
int reps = int.Parse(opts.GetValueOrDefault("reps") ?? "15", CultureInfo.InvariantCulture);
var backends = (opts.GetValueOrDefault("backends") ?? "sqlite,postgres").Split(',');

PostgresServer? server = null;
string? pgUrl = opts.GetValueOrDefault("pg");
string tmp = Directory.CreateTempSubdirectory("eaml-storage-bench-").FullName;
try
{
    if (pgUrl is null && backends.Contains("postgres"))
    {
        if (PostgresServer.MissingReason.Value is { } why) { Console.WriteLine($"postgres skipped: {why}"); backends = backends.Where(b => b != "postgres").ToArray(); }
        else server = new PostgresServer();
    }
    Console.WriteLine($"storage read cost at {nTrials} finished trials; median of {reps} reps (ms); {Environment.ProcessorCount} cores");
    Console.WriteLine($"{"sampler/function",-18} {"backend",-9} {"GetAllTrials off",16} {"on",8} {"ratio",6} {"suggest off",12} {"on",8} {"ratio",6}");
    foreach (var (samplerName, functionName) in new[] { ("tpe", "hartmann6"), ("nsga2", "zdt1") })
    {
        BenchmarkFunction f = Functions.ByName(functionName);
        var history = History(f, nTrials);
        Measure(f, samplerName, Fill(new InMemoryStorage(), f, history), reps); // warm-up: JIT of the sampler's code
        var (memAll, memSuggest) = Measure(f, samplerName, Fill(new InMemoryStorage(), f, history), reps);
        Console.WriteLine($"{samplerName + "/" + functionName,-18} {"memory",-9} {memAll,16:F3} {"",8} {"",6} {memSuggest,12:F3}");
        foreach (string backend in backends)
        {
            Func<bool, IStorage> open;
            if (backend == "sqlite")
            {
                string path = Path.Combine(tmp, $"{samplerName}.db");
                open = cache => new SqliteStorage(path, cacheFinishedTrials: cache);
            }
            else if (backend == "postgres")
            {
                string cs = pgUrl is not null ? PostgresUrl.Parse(pgUrl).ConnectionString : server!.ConnectionString(server.CreateDatabase());
                open = cache => new PostgresStorage(cs, cacheFinishedTrials: cache);
            }
            else throw new ArgumentException($"--backends: unknown '{backend}' (sqlite, postgres)");
            using (var setup = (IDisposable)open(false)) Fill((IStorage)setup, f, history);
            var (offAll, offSuggest, onAll, onSuggest) = MeasurePair(f, samplerName, open, reps);
            Console.WriteLine($"{samplerName + "/" + functionName,-18} {backend,-9} {offAll,16:F3} {onAll,8:F3} {offAll / onAll,5:F1}x {offSuggest,12:F3} {onSuggest,8:F3} {offSuggest / onSuggest,5:F1}x");
        }
    }
}
finally
{
    server?.Dispose();
    Directory.Delete(tmp, recursive: true);
}

// 1000 finished trials from a random sampler (in memory), replayed into each storage as templates.
static List<FrozenTrial> History(BenchmarkFunction f, int n)
{
    var dirs = Enumerable.Repeat(StudyDirection.Minimize, f.Objectives).ToArray();
    Study s = Study.Create(new InMemoryStorage(), "h", dirs, new RandomSampler(42));
    for (int i = 0; i < n; i++)
    {
        Trial t = s.Ask();
        s.Tell(t, f.Evaluate(f.Suggest(t)));
    }
    return s.Trials.ToList();
}

static IStorage Fill(IStorage storage, BenchmarkFunction f, List<FrozenTrial> history)
{
    int id = storage.CreateNewStudy(Enumerable.Repeat(StudyDirection.Minimize, f.Objectives).ToArray(), "bench");
    foreach (FrozenTrial t in history) storage.CreateNewTrial(id, t);
    return storage;
}

static (double All, double Suggest) Measure(BenchmarkFunction f, string sampler, IStorage storage, int reps)
{
    var (all, suggest) = (new List<double>(), new List<double>());
    Study study = Study.Load(storage, "bench", SamplerBenchmark.CreateSampler(sampler, 1));
    for (int r = 0; r < reps; r++) Step(study, f, all, suggest);
    return (Median(all), Median(suggest));
}

static (double, double, double, double) MeasurePair(BenchmarkFunction f, string sampler, Func<bool, IStorage> open, int reps)
{
    var off = open(false);
    var on = open(true);
    try
    {
        Study so = Study.Load(off, "bench", SamplerBenchmark.CreateSampler(sampler, 1));
        Study sn = Study.Load(on, "bench", SamplerBenchmark.CreateSampler(sampler, 1));
        on.GetAllTrials(sn.StudyId); // the cache fills once, as it would over the study's first trials
        var (offAll, offSug, onAll, onSug) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        for (int r = 0; r < reps; r++)
        {
            Step(so, f, offAll, offSug);
            Step(sn, f, onAll, onSug);
        }
        return (Median(offAll), Median(offSug), Median(onAll), Median(onSug));
    }
    finally
    {
        (off as IDisposable)?.Dispose();
        (on as IDisposable)?.Dispose();
    }
}

// One GetAllTrials, then one trial: Ask + every suggest call timed (the sampler's cost per trial), Tell untimed.
static void Step(Study study, BenchmarkFunction f, List<double> all, List<double> suggest)
{
    long t0 = Stopwatch.GetTimestamp();
    study.Storage.GetAllTrials(study.StudyId);
    all.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    t0 = Stopwatch.GetTimestamp();
    Trial trial = study.Ask();
    double[] x = f.Suggest(trial);
    suggest.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
    study.Tell(trial, f.Evaluate(x));
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
