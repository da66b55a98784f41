#:project EdgeAutoMl.Bench/EdgeAutoMl.Bench.csproj
// The scripts' twin of `edgeautoml bench sampler` (seed lists, a warm start from HISTORY trials, one RESULT line per seed):
//   dotnet run -c Release bench/sampler_bench.cs -- SAMPLER FUNCTION TRIALS SEED [HISTORY [OPTIONS]]
// Same output shape as bench/optuna_compare.py (RESULT's scores= lists the score after every 10 trials). HISTORY: start from that many LCG trials (latency at HISTORY trials).
// OPTIONS: sampler options as `edgeautoml search --sampler-option` takes them, e.g. multivariate=true,constant_liar=true.
using EdgeAutoMl.Bench;

string sampler = args.Length > 0 ? args[0] : "tpe";
string function = args.Length > 1 ? args[1] : "hartmann6";
int trials = args.Length > 2 ? int.Parse(args[2]) : 1000;
// SEED may be a comma-separated list (bench/compare_efficiency.py runs every seed in one process).
int[] seeds = args.Length > 3 ? args[3].Split(',').Select(int.Parse).ToArray() : [0];
int history = args.Length > 4 ? int.Parse(args[4]) : 0;
string options = args.Length > 5 ? args[5] : "";
var progress = new SyncProgress(cp => Console.WriteLine($"trial {cp.Trials,5}  score {cp.Score,14:G10}  suggest_ms {cp.MeanSuggestMs,9:F3}"));
foreach (int seed in seeds)
{
// One seed is a latency measurement (bench/sampler_speed.sh): warm the JIT first. Seed lists are score runs.
BenchmarkResult r = SamplerBenchmark.Run(sampler, function, trials, seed, seeds.Length == 1 ? progress : null, history, options,
    warmJit: seeds.Length == 1);
Console.WriteLine($"RESULT impl=edgeautoml sampler={r.Sampler} function={r.Function} seed={r.Seed} trials={r.Trials} history={history} " +
                  $"score@100={r.ScoreAt(100):G10} score@300={r.ScoreAt(300):G10} score@end={r.Checkpoints[^1].Score:G10} " +
                  $"mean_suggest_ms={r.MeanSuggestMs:F4} mean_suggest_ms_last100={r.MeanSuggestMsLast100:F4} cpu_suggest_ms_last100={r.CpuSuggestMsLast100:F4} " +
                  $"scores={string.Join(",", r.Checkpoints.Select(c => c.Score.ToString("G10", System.Globalization.CultureInfo.InvariantCulture)))}");
}

sealed class SyncProgress(Action<BenchmarkCheckpoint> report) : IProgress<BenchmarkCheckpoint>
{
    public void Report(BenchmarkCheckpoint value) => report(value);
}
