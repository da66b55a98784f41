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

    private static readonly HashSet<string> Warmed = [];

    /// <summary>Sampler names accepted by <see cref="CreateSampler"/> (options as <see cref="SamplerSpec"/>: tpe:multivariate,constant_liar).</summary>
    public static readonly string[] SamplerNames = ["tpe", "motpe", "nsga2", "random", "qmc", "gp"];

    /// <summary>A sampler by spec with Optuna's defaults ("tpe" and "motpe" are the same class; it switches on the objectives).</summary>
    /// <exception cref="ArgumentException">Unknown name or option.</exception>
    public static ISampler CreateSampler(string spec, int seed) => SamplerSpec.Create(spec, seed);

    /// <summary>
    /// Runs by names (what <c>edgeautoml bench sampler</c> calls); <paramref name="sampler"/> may carry options.
    /// <paramref name="warmJit"/> (default: only with a history) first runs the same case on throwaway studies so the
    /// timed trials run compiled code; a latency measurement wants it, a score-only run does not need it.
    /// </summary>
    public static BenchmarkResult Run(string sampler, string function, int trials, int seed, IProgress<BenchmarkCheckpoint>? progress = null,
        int history = 0, string? options = null, bool? warmJit = null)
    {
        string spec = string.IsNullOrEmpty(options) ? sampler : $"{sampler}:{options}";
        // Tier 1 is compiled in the background after ~30 calls; three rounds, as tiered PGO goes tier 0 → instrumented
        // → optimised, each step after 30 calls and a quiet pause. The throwaway runs have the timed run's size: code
        // warmed on 100 past trials still ran ~2× slower at 1000 (OSR'd and re-jitted loops, the JIT busy meanwhile).
        // In full mode the last 100 of ~1000 trials are timed, but 1000 trials run in well under a second, and what the
        // sampler calls once per generation (NSGA-II's survival step, every 50 trials) was still at tier 0: the figure
        // measured the JIT, not the sampler (a real search reaches trial 1000 after hours). Once per process and spec.
        if (warmJit ?? history > 0)
        {
            if (history > 0 || Warmed.Add(spec))
                for (int round = 0; round < 3; round++)
                {
                    if (history > 0) Run(CreateSampler(spec, seed + 1), Functions.ByName(function), 60, seed + 1, null, null, history);
                    else Run(CreateSampler(spec, seed + 1), Functions.ByName(function), Math.Min(trials, 1000), seed + 1);
                    Thread.Sleep(300);
                }
        }
        return Run(CreateSampler(spec, seed), Functions.ByName(function), trials, seed, progress, spec.ToLowerInvariant(), history);
    }

    /// <summary>
    /// Runs <paramref name="trials"/> trials and reports a checkpoint every 10. With <paramref name="history"/> &gt; 0
    /// the study first gets that many finished trials at points of <see cref="LcgSampler"/> (the same points
    /// bench/optuna_compare.py adds with its HISTORY argument), so the latency at <c>history</c> finished trials is
    /// measured directly; then every run trial counts in <see cref="BenchmarkResult.MeanSuggestMsLast100"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">trials &lt; 1 or history &lt; 0.</exception>
    public static BenchmarkResult Run(ISampler sampler, BenchmarkFunction function, int trials, int seed,
        IProgress<BenchmarkCheckpoint>? progress = null, string? samplerName = null, int history = 0)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(function);
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(history);
        StudyDirection[] directions = Enumerable.Repeat(StudyDirection.Minimize, function.Objectives).ToArray();
        var storage = new InMemoryStorage();
        Study study = Study.Create(storage, $"bench-{function.Name}", directions, sampler);
        if (history > 0)
        {
            Study source = Study.Create(storage, $"history-{function.Name}", directions, new LcgSampler());
            source.Optimize(t => function.Evaluate(function.Suggest(t)), history);
            foreach (FrozenTrial t in source.Trials) storage.CreateNewTrial(study.StudyId, t);
        }
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
        int window = history > 0 ? trials : 100;
        return new BenchmarkResult(samplerName ?? sampler.GetType().Name, function.Name, trials, seed, checkpoints,
            suggestMs.Average(), suggestMs[Math.Max(0, trials - window)..].Average())
        {
            CpuSuggestMsLast100 = cpuMs[Math.Max(0, trials - window)..].Average(),
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

/// <summary>
/// Uniform points from a 64-bit LCG, drawn in suggestion order: the same doubles as LcgSampler in
/// bench/optuna_compare.py, so both sides time their samplers on bit-identical histories.
/// </summary>
public sealed class LcgSampler : ISampler
{
    private ulong _state = 0x853C49E6748FEA9B;

    private double Next()
    {
        _state = unchecked(_state * 6364136223846793005UL + 1442695040888963407UL);
        return (_state >> 11) / 9007199254740992.0;
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Search.Distributions.Distribution distribution)
    {
        double u = Next();
        return distribution switch
        {
            Search.Distributions.CategoricalDistribution c => Math.Min((int)(u * c.Choices.Count), c.Choices.Count - 1),
            Search.Distributions.FloatDistribution f => f.Low + u * (f.High - f.Low),
            _ => throw new NotSupportedException($"LcgSampler draws floats and categoricals, not {distribution.OptunaName}."),
        };
    }
}
