using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Cli.Reports;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml report</c>: a self-contained HTML page of a study.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var cmd = new Command("report", "Write one self-contained HTML file (no network, no script) with the study's Pareto plots, " +
            "the current trace of a measured trial, every trial with its bit-widths, and the settings");
        var storage = new Option<string>("--storage") { Description = "Study storage", DefaultValueFactory = _ => "sqlite:///edgeautoml.db" };
        var study = new Option<string>("--study") { Description = "Study name", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "HTML file to write", DefaultValueFactory = _ => "report.html" };
        var trace = new Option<int?>("--trace-trial") { Description = "Trial whose current trace is shown (default: the most accurate front trial)" };
        var png = new Option<string?>("--png") { Description = "Also write the plots as PNG files into this directory (pareto-energy/latency/flash.png, history.png), for terminals and CI logs" };
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { storage, study, output, trace, png, json }) cmd.Options.Add(o);
        cmd.SetAction(r => CliRunner.RunAsync(r.GetValue(json), () =>
        {
            var url = r.GetValue(storage)!;
            if (url.StartsWith("sqlite:///", StringComparison.Ordinal) && !File.Exists(url["sqlite:///".Length..]))
                throw new FileNotFoundException($"storage file not found: {url["sqlite:///".Length..]}");
            var store = StorageUrl.Open(url);
            using var lifetime = store as IDisposable;
            var s = Study.Load(store, r.GetValue(study)!);
            var html = HtmlReport.Render(s, url, r.GetValue(trace));
            var path = Path.GetFullPath(r.GetValue(output)!);
            File.WriteAllText(path, html);
            var pngs = r.GetValue(png) is { } dir ? PngPlots.Write(s, dir) : [];
            if (r.GetValue(json)) JsonOut.Write(new { report = path, trials = s.GetTrials().Count, pareto_front = s.BestTrials.Count, png = pngs });
            else
            {
                Console.WriteLine($"wrote {path} ({s.GetTrials().Count} trials, {s.BestTrials.Count} on the Pareto front)");
                foreach (var f in pngs) Console.WriteLine($"wrote {f}");
            }
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
