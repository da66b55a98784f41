using System.Diagnostics;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.MultiObjective;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Qmc;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Bench;

/// <summary>Progress after every <see cref="SamplerBenchmark.CheckpointEvery"/> trials.</summary>
/// <param name="Trials">Trials finished so far.</param>
/// <param name="Score">Best value (single objective) or hypervolume of the front w.r.t. the function's reference point.</param>
/// <param name="MeanSuggestMs">Mean sampler time per trial over the last checkpoint window (Ask + all suggest calls), ms.</param>
public sealed record BenchmarkCheckpoint(int Trials, double Score, double MeanSuggestMs);

/// <summary>Outcome of one benchmark run.</summary>
/// <param name="Sampler">Sampler name.</param>
/// <param name="Function">Function name.</param>
/// <param name="Trials">Trials run.</param>
/// <param name="Seed">Seed of the sampler.</param>
/// <param name="Checkpoints">One entry per 10 trials.</param>
/// <param name="MeanSuggestMs">Mean sampler time per trial over the whole run, ms.</param>
/// <param name="MeanSuggestMsLast100">Mean over the last 100 trials (the latency at ≈ <c>Trials</c> completed trials), ms.</param>
public sealed record BenchmarkResult(string Sampler, string Function, int Trials, int Seed,
    IReadOnlyList<BenchmarkCheckpoint> Checkpoints, double MeanSuggestMs, double MeanSuggestMsLast100)
{
    /// <summary>
    /// Mean CPU time of the benchmark thread over the same window as <see cref="MeanSuggestMsLast100"/>, ms: the figure
    /// to compare on a loaded machine (Python side: time.thread_time()).
    /// </summary>
    public double CpuSuggestMsLast100 { get; init; }

    /// <summary>Score after <paramref name="trials"/> trials (the checkpoint at or before it), NaN if none.</summary>
    public double ScoreAt(int trials) => Checkpoints.LastOrDefault(c => c.Trials <= trials)?.Score ?? double.NaN;
}

/// <summary>
/// Runs a sampler on a benchmark function with ask/tell on an in-memory storage, timing the sampler's share of every
/// trial with a Stopwatch. The same protocol as bench/optuna_compare.py, so the figures compare one to one.
/// </summary>
public static class SamplerBenchmark
{
    /// <summary>Trials between checkpoints.</summary>
    public const int CheckpointEvery = 10;

    /// <summary>Sampler names accepted by <see cref="CreateSampler"/>.</summary>
    public static readonly string[] SamplerNames = ["tpe", "motpe", "nsga2", "random", "qmc", "gp"];

    /// <summary>A sampler by name with Optuna's defaults ("tpe" and "motpe" are the same class; it switches on the objectives).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ISampler CreateSampler(string name, int seed) => name.ToLowerInvariant() switch
    {
        "tpe" or "motpe" => new TpeSampler(seed),
        "nsga2" or "nsgaii" => new Nsga2Sampler(seed),
        "random" => new RandomSampler(seed),
        "qmc" or "sobol" => new QmcSampler(seed: seed),
        "gp" => new EdgeAutoMl.Search.Samplers.Gp.GpSampler(seed),
        _ => throw new ArgumentException($"Unknown sampler '{name}'; known: {string.Join(", ", SamplerNames)}."),
    };

    /// <summary>Runs by names (what <c>edgeautoml bench sampler</c> calls).</summary>
    public static BenchmarkResult Run(string sampler, string function, int trials, int seed, IProgress<BenchmarkCheckpoint>? progress = null) =>
        Run(CreateSampler(sampler, seed), Functions.ByName(function), trials, seed, progress, sampler.ToLowerInvariant());

    /// <summary>Runs <paramref name="trials"/> trials and reports a checkpoint every 10.</summary>
    /// <exception cref="ArgumentOutOfRangeException">trials &lt; 1.</exception>
    public static BenchmarkResult Run(ISampler sampler, BenchmarkFunction function, int trials, int seed,
        IProgress<BenchmarkCheckpoint>? progress = null, string? samplerName = null)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        StudyDirection[] directions = Enumerable.Repeat(StudyDirection.Minimize, function.Objectives).ToArray();
        Study study = Study.Create(new InMemoryStorage(), $"bench-{function.Name}", directions, sampler);
        var suggestMs = new double[trials];
        var cpuMs = new double[trials];
        var checkpoints = new List<BenchmarkCheckpoint>();
        var front = new List<double[]>();
        double best = double.PositiveInfinity;
        for (int i = 0; i < trials; i++)
        {
            long start = Stopwatch.GetTimestamp();
            double cpuStart = ThreadCpuClock.NowMs();
            Trial trial = study.Ask();
            double[] x = function.Suggest(trial);
            suggestMs[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpuMs[i] = ThreadCpuClock.NowMs() - cpuStart;
            double[] values = function.Evaluate(x);
            study.Tell(trial, values);
            if (function.Objectives == 1) best = Math.Min(best, values[0]);
            else AddToFront(front, values);
            if ((i + 1) % CheckpointEvery == 0 || i == trials - 1)
            {
                double score = function.Objectives == 1 ? best : Hypervolume.Compute(front, function.ReferencePoint!);
                int from = checkpoints.Count == 0 ? 0 : checkpoints[^1].Trials;
                var cp = new BenchmarkCheckpoint(i + 1, score, suggestMs[from..(i + 1)].Average());
                checkpoints.Add(cp);
                progress?.Report(cp);
            }
        }
        return new BenchmarkResult(samplerName ?? sampler.GetType().Name, function.Name, trials, seed, checkpoints,
            suggestMs.Average(), suggestMs[Math.Max(0, trials - 100)..].Average())
        {
            CpuSuggestMsLast100 = cpuMs[Math.Max(0, trials - 100)..].Average(),
        };
    }

    // Keeps the running Pareto front so the hypervolume at a checkpoint costs only the front.
    private static void AddToFront(List<double[]> front, double[] p)
    {
        if (front.Any(q => Pareto.Dominates(q, p) || q.AsSpan().SequenceEqual(p))) return;
        front.RemoveAll(q => Pareto.Dominates(p, q));
        front.Add(p);
    }
}
