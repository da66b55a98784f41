using System.CommandLine;
using System.Globalization;
using EdgeAutoMl.Bench;
using EdgeAutoMl.Cli.Output;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml bench</c>: benchmarks that print figures (never pass/fail).</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var cmd = new Command("bench", "Benchmarks that print figures: sampler (sample efficiency and suggest latency on standard functions)");
        var sampler = new Command("sampler", "Run a sampler on a benchmark function; print the best value (or hypervolume) every 10 trials and the time per suggest. " +
            "Compare with Debian's Optuna: /usr/bin/python3 bench/optuna_compare.py SAMPLER FUNCTION TRIALS SEED");
        var name = new Option<string>("--sampler") { Description = "Sampler: " + string.Join(", ", SamplerBenchmark.SamplerNames) + ", with Optuna-named options, e.g. tpe:multivariate,group,constant_liar", DefaultValueFactory = _ => "tpe" };
        var function = new Option<string>("--function") { Description = "Function: " + string.Join(", ", Functions.Names), DefaultValueFactory = _ => "hartmann6" };
        var trials = new Option<int>("--trials") { Description = "Trials", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "Seed", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { name, function, trials, seed, json }) sampler.Options.Add(o);
        sampler.SetAction(r => CliRunner.RunAsync(r.GetValue(json), () =>
        {
            bool asJson = r.GetValue(json);
            var progress = new ActionProgress<BenchmarkCheckpoint>(c =>
                (asJson ? Console.Error : Console.Out).WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{c.Trials,5} trials  score {c.Score,12:G8}  suggest {c.MeanSuggestMs,8:0.000} ms")));
            var result = SamplerBenchmark.Run(r.GetValue(name)!, r.GetValue(function)!, r.GetValue(trials), r.GetValue(seed), progress);
            if (asJson) JsonOut.Write(result);
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Sampler} on {result.Function}: final score {result.Checkpoints[^1].Score:G8}; mean suggest {result.MeanSuggestMs:0.000} ms, last 100 trials {result.MeanSuggestMsLast100:0.000} ms"));
            return Task.FromResult(0);
        }));
        cmd.Subcommands.Add(sampler);
        return cmd;
    }

    /// <summary>Reports on the caller's thread (unlike Progress&lt;T&gt;), so lines print in order before the summary.</summary>
    private sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
