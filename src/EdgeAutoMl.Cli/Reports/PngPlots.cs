using System.Globalization;
using EdgeAutoMl.Search;
using ScottPlot;

namespace EdgeAutoMl.Cli.Reports;

/// <summary>
/// The report's plots as PNG files (ScottPlot on SkiaSharp, headless) for terminals and CI logs:
/// accuracy against energy, latency and flash with the Pareto front marked, and the optimization
/// history (accuracy of each trial by number, with the best so far).
/// </summary>
public static class PngPlots
{
    /// <summary>Pixel size of every PNG.</summary>
    public const int Width = 800, Height = 560;

    private static readonly (string Metric, string Label, string File)[] Axes =
    [
        ("energy_uj", "energy per inference (uJ)", "pareto-energy.png"),
        ("latency_ms", "latency (ms)", "pareto-latency.png"),
        ("flash_bytes", "flash (bytes)", "pareto-flash.png"),
    ];

    /// <summary>Writes the PNGs into <paramref name="dir"/> (created if needed) and returns their paths.</summary>
    public static IReadOnlyList<string> Write(Study study, string dir)
    {
        Directory.CreateDirectory(dir);
        var trials = study.GetTrials();
        var front = study.BestTrials.Select(t => t.Number).ToHashSet();
        var written = new List<string>();
        foreach (var (metric, label, file) in Axes)
        {
            var done = trials.Where(t => t.State == TrialState.Complete && Num(t, metric) is not null && Num(t, "accuracy") is not null).ToList();
            using var plot = new Plot();
            var others = done.Where(t => !front.Contains(t.Number)).ToList();
            var best = done.Where(t => front.Contains(t.Number)).OrderBy(t => Num(t, metric)).ToList();
            if (others.Count > 0)
            {
                var m = plot.Add.Markers(others.Select(t => Num(t, metric)!.Value).ToArray(), others.Select(t => Num(t, "accuracy")!.Value).ToArray(),
                    MarkerShape.FilledCircle, 7, Color.FromHex("#8899aa"));
                m.LegendText = "trial";
            }
            if (best.Count > 0)
            {
                var m = plot.Add.Markers(best.Select(t => Num(t, metric)!.Value).ToArray(), best.Select(t => Num(t, "accuracy")!.Value).ToArray(),
                    MarkerShape.FilledCircle, 10, Color.FromHex("#dd3333"));
                m.LegendText = "Pareto front (all objectives)";
            }
            plot.Title($"{study.Name}: accuracy vs {label} ({done.Count} complete trials)");
            plot.XLabel(label);
            plot.YLabel("accuracy");
            if (done.Count > 0) plot.ShowLegend(Alignment.LowerRight);
            written.Add(Save(plot, Path.Combine(dir, file)));
        }

        using (var plot = new Plot())
        {
            var reported = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned && Accuracy(t) is not null).ToList();
            void Series(TrialState state, string hex, string legend)
            {
                var ts = reported.Where(t => t.State == state).ToList();
                if (ts.Count == 0) return;
                var m = plot.Add.Markers(ts.Select(t => (double)t.Number).ToArray(), ts.Select(t => Accuracy(t)!.Value).ToArray(),
                    MarkerShape.FilledCircle, 7, Color.FromHex(hex));
                m.LegendText = legend;
            }
            Series(TrialState.Complete, "#1560bd", "complete");
            Series(TrialState.Pruned, "#f0a030", "pruned (last reported accuracy)");
            var complete = reported.Where(t => t.State == TrialState.Complete).OrderBy(t => t.Number).ToList();
            if (complete.Count > 0)
            {
                double runningBest = double.NegativeInfinity;
                var bestSoFar = complete.Select(t => runningBest = Math.Max(runningBest, Accuracy(t)!.Value)).ToArray();
                var line = plot.Add.ScatterLine(complete.Select(t => (double)t.Number).ToArray(), bestSoFar, Color.FromHex("#d33333"));
                line.ConnectStyle = ConnectStyle.StepHorizontal;
                line.LineWidth = 2;
                line.LegendText = "best accuracy so far";
            }
            plot.Title($"{study.Name}: optimization history ({trials.Count} trials)");
            plot.XLabel("trial");
            plot.YLabel("accuracy");
            if (reported.Count > 0) plot.ShowLegend(Alignment.LowerRight);
            written.Add(Save(plot, Path.Combine(dir, "history.png")));
        }
        return written;
    }

    private static string Save(Plot plot, string path)
    {
        plot.SavePng(path, Width, Height);
        return Path.GetFullPath(path);
    }

    /// <summary>Full accuracy if measured, else the last accuracy a rung reported (a pruned trial's).</summary>
    private static double? Accuracy(FrozenTrial t) =>
        Num(t, "accuracy") ?? (t.IntermediateValues.Count > 0 ? t.IntermediateValues[t.IntermediateValues.Keys.Max()] : null);

    private static double? Num(FrozenTrial t, string key) =>
        t.UserAttrs.TryGetValue(key, out var v) && v is not null and not string && v is IConvertible
            ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
}
