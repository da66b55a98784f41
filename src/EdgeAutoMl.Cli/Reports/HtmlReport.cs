using System.Globalization;
using System.Net;
using System.Text;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Cli.Reports;

/// <summary>
/// One self-contained HTML file for a study: Pareto plots (accuracy against energy, latency,
/// flash), the current trace of a measured trial with its trigger windows, every trial with
/// its per-layer bit-widths, and the study's settings. No script, no network.
/// </summary>
public static class HtmlReport
{
    private static readonly (string Metric, string Label)[] Axes =
        [("energy_uj", "energy per inference (µJ)"), ("latency_ms", "latency (ms)"), ("flash_bytes", "flash (bytes)")];

    /// <summary>Renders the report of <paramref name="study"/>; <paramref name="traceTrial"/> picks the trace shown (default: the most accurate front trial).</summary>
    public static string Render(Study study, string storageLabel, int? traceTrial = null)
    {
        var trials = study.GetTrials();
        var front = study.BestTrials.Select(t => t.Number).ToHashSet();
        var layers = trials.SelectMany(t => t.Params.Keys).Where(k => k.StartsWith("wbits.", StringComparison.Ordinal)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>EdgeAutoMl report: ").Append(E(study.Name)).Append("</title>");
        sb.Append("<style>").Append(Css).Append("</style></head><body>");
        sb.Append($"<h1>EdgeAutoMl study <code>{E(study.Name)}</code></h1>");
        int C(TrialState s) => trials.Count(t => t.State == s);
        sb.Append($"<p class=\"summary\">{trials.Count} trials: {C(TrialState.Complete)} complete, {C(TrialState.Pruned)} pruned, {C(TrialState.Fail)} failed, " +
                  $"{C(TrialState.Running)} running, {C(TrialState.Waiting)} waiting. Pareto front: <b id=\"front-count\">{front.Count}</b> trials. Storage: <code>{E(storageLabel)}</code>.</p>");

        sb.Append("<h2>Pareto front</h2><div class=\"plots\">");
        foreach (var (metric, label) in Axes)
        {
            var pts = trials.Where(t => t.State == TrialState.Complete && Num(t, metric) is not null && Num(t, "accuracy") is not null)
                .Select(t => new PlotPoint(Num(t, metric)!.Value, Num(t, "accuracy")!.Value, front.Contains(t.Number),
                    $"trial {t.Number}: accuracy {Fmt(Num(t, "accuracy"))}, {metric} {Fmt(Num(t, metric))}, bits {Bits(t, layers)}"))
                .ToList();
            sb.Append(SvgPlot.Scatter($"accuracy vs {label}", label, "accuracy", pts));
        }
        sb.Append("</div><p class=\"note\">Red: trials on the Pareto front of all objectives (the front is not 2-D, so a red point can sit behind a grey one in one view). Hover a point for its trial.</p>");

        var traced = trials.Where(t => t.UserAttrs.ContainsKey("trace_ua"))
            .OrderByDescending(t => traceTrial is { } n ? (t.Number == n ? 2 : 0) : front.Contains(t.Number) ? 1 : 0)
            .ThenByDescending(t => Num(t, "accuracy") ?? 0).FirstOrDefault();
        sb.Append("<h2>Current trace</h2>");
        if (traced is not null)
        {
            var cur = ((IEnumerable<object?>)traced.UserAttrs["trace_ua"]!).Select(v => v is null ? (double?)null : Convert.ToDouble(v, CultureInfo.InvariantCulture)).ToList();
            var trig = traced.UserAttrs.TryGetValue("trace_trigger", out var tt) && tt is IEnumerable<object?> tl
                ? tl.Select(v => Convert.ToInt32(v, CultureInfo.InvariantCulture)).ToList() : [];
            double rate = Num(traced, "trace_rate_hz") ?? 100_000;
            sb.Append(SvgPlot.Trace($"trial {traced.Number}: current with trigger windows shaded ({rate / 1000:0} ksps; energy {Fmt(Num(traced, "energy_uj"))} µJ per inference)", rate, cur, trig));
        }
        else sb.Append("<p>No trial has a stored trace (none reached the device rung).</p>");

        sb.Append("<h2>Trials</h2><table id=\"trials\"><thead><tr><th>trial</th><th>state</th><th>front</th><th>accuracy</th><th>accuracy (int engine)</th><th>energy µJ</th><th>latency ms</th><th>flash B</th><th>RAM B</th><th>mismatches</th>");
        foreach (var l in layers) sb.Append($"<th>{E(l["wbits.".Length..])}</th>");
        sb.Append("<th>reason</th></tr></thead><tbody>");
        foreach (var t in trials)
        {
            sb.Append($"<tr class=\"{t.State.ToString().ToLowerInvariant()}{(front.Contains(t.Number) ? " on-front" : "")}\"><td>{t.Number}</td><td>{t.State.ToString().ToUpperInvariant()}</td><td>{(front.Contains(t.Number) ? "★" : "")}</td>");
            foreach (var m in new[] { "accuracy", "accuracy_int", "energy_uj", "latency_ms", "flash_bytes", "ram_bytes", "device_mismatches" })
                sb.Append($"<td>{Fmt(Num(t, m))}</td>");
            foreach (var l in layers) sb.Append($"<td>{(t.Params.TryGetValue(l, out var b) ? E(Convert.ToString(b, CultureInfo.InvariantCulture) ?? "") : "")}</td>");
            t.SystemAttrs.TryGetValue("fail_reason", out var reason);
            sb.Append($"<td class=\"reason\">{E(reason?.ToString() ?? "")}</td></tr>");
        }
        sb.Append("</tbody></table>");

        sb.Append("<h2>Settings</h2><table class=\"settings\">");
        sb.Append($"<tr><th>directions</th><td>{E(string.Join(", ", study.Directions))}</td></tr>");
        foreach (var (k, v) in study.UserAttrs)
            sb.Append($"<tr><th>{E(k)}</th><td><code>{E(Convert.ToString(v, CultureInfo.InvariantCulture) ?? "")}</code></td></tr>");
        sb.Append("</table><p class=\"note\">Generated by edgeautoml report on ").Append(DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)).Append(".</p></body></html>\n");
        return sb.ToString();
    }

    private static double? Num(FrozenTrial t, string key) =>
        t.UserAttrs.TryGetValue(key, out var v) && v is not null and not string && v is IConvertible
            ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;

    private static string Bits(FrozenTrial t, IReadOnlyList<string> layers) =>
        string.Join(" ", layers.Select(l => t.Params.TryGetValue(l, out var b) ? Convert.ToString(b, CultureInfo.InvariantCulture) : "?"));

    private static string Fmt(double? v) => v is { } x ? (Math.Abs(x) >= 100 ? x.ToString("0", CultureInfo.InvariantCulture) : x.ToString("0.####", CultureInfo.InvariantCulture)) : "";

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:24px;color:#222}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
        code{background:#f3f3f3;padding:1px 4px}.plots{display:flex;flex-wrap:wrap;gap:12px}
        svg.plot{border:1px solid #ddd;background:#fff}svg .title{font-weight:600;font-size:13px}svg text{font-size:11px;fill:#333}
        svg .axis{stroke:#888}svg .pt{fill:#9aa;stroke:#567;stroke-width:.5}svg .front-pt{fill:#d33;stroke:#800}
        svg .trace{fill:none;stroke:#1560bd;stroke-width:1.2}
        svg .window{fill:#ffd54f;opacity:.35}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right}
        th{background:#f5f5f5}tr.on-front{background:#fff0f0}tr.fail td,tr.pruned td{color:#888}td.reason{text-align:left;max-width:420px}
        table.settings td{text-align:left}.note{color:#666;font-size:12px}
        """;
}
