using System.Globalization;
using EdgeAutoMl.Orchestrator.Jobs;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Output;

/// <summary>The human end of a search: counts and the Pareto front as a table on stdout.</summary>
internal static class ParetoTable
{
    public static void Print(SearchResult r)
    {
        var c = r.Trials;
        AnsiConsole.MarkupLine($"[bold]study[/] {Markup.Escape(r.StudyName)} in {Markup.Escape(r.Storage)}: " +
            $"{c.Count(t => t.State == "COMPLETE")} complete, {c.Count(t => t.State == "PRUNED")} pruned, {c.Count(t => t.State == "FAIL")} failed");
        var layers = r.Trials.FirstOrDefault(t => t.Bits.Count > 0)?.Bits.Keys.ToList() ?? [];
        var table = new Table().Title($"Pareto front ({string.Join(", ", r.Objectives)})");
        foreach (var h in new[] { "trial", "accuracy", "energy µJ", "latency ms", "flash B", "RAM B", "mismatches" })
            table.AddColumn(h);
        table.AddColumn("weight bits: " + Markup.Escape(string.Join(" ", layers.Select(ShortName))));
        string F(double? v, string fmt) => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "-";
        foreach (var t in r.ParetoFront.OrderByDescending(t => t.Metrics?.Accuracy ?? 0))
        {
            var m = t.Metrics;
            table.AddRow(t.Number.ToString(CultureInfo.InvariantCulture), F(m?.Accuracy, "0.0000"), F(m?.EnergyUj, "0.000"),
                F(m?.LatencyMs, "0.0000"), (m?.FlashBytes ?? 0).ToString(CultureInfo.InvariantCulture), (m?.RamBytes ?? 0).ToString(CultureInfo.InvariantCulture),
                m?.DeviceMismatches?.ToString(CultureInfo.InvariantCulture) ?? "-",
                string.Join(" ", layers.Select(l => t.Bits.TryGetValue(l, out var b) ? b.ToString(CultureInfo.InvariantCulture) : "?")));
        }
        AnsiConsole.Write(table);
    }

    /// <summary>"/conv1/Conv" → "conv1": exporters' node names carry the op type and a leading slash.</summary>
    public static string ShortName(string layer)
    {
        var parts = layer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? parts[^2] : parts.Length == 1 ? parts[0] : layer;
    }
}
