using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>After a search: the HTML report and the firmware artifacts of a trial.</summary>
public class ReportAndExportEndToEndTests
{
    private static readonly Lazy<(string Dir, string Db)> Study = new(() =>
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "s.db");
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-cnn"), "--trials", "4", "--storage", $"sqlite:///{db}",
            "--study", "rx", "--device-samples", "20"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return (dir, db);
    });

    [Fact]
    public void Report_is_one_self_contained_html_file_with_plots_trace_and_every_trial()
    {
        var (dir, db) = Study.Value;
        var html = Path.Combine(dir, "report.html");
        var run = CliHarness.Run(dir, "report", "--storage", $"sqlite:///{db}", "--study", "rx", "--out", html, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var text = File.ReadAllText(html);
        Assert.DoesNotMatch(new Regex("<script|https?://(?!www\\.w3\\.org/2000/svg)"), text); // no script, no network
        Assert.Equal(4, Regex.Matches(text, "<svg class=\"plot\"").Count); // 3 Pareto views + 1 trace
        Assert.Contains("class=\"trace\"", text);
        Assert.Contains("class=\"window\"", text); // trigger windows shaded in the trace
        Assert.Equal(4, Regex.Matches(text, "<tr class=\"(complete|pruned|fail)").Count);
        int front = run.Json().GetProperty("pareto_front").GetInt32();
        Assert.True(front >= 1);
        Assert.Contains($"<b id=\"front-count\">{front}</b>", text);
        // Each front trial is drawn as a highlighted point in each of the three views.
        Assert.Equal(3 * front, Regex.Matches(text, "class=\"pt front-pt\"").Count);
    }

    [Fact]
    public void Report_png_writes_the_pareto_and_history_plots_as_real_non_blank_pngs()
    {
        var (dir, db) = Study.Value;
        var pngDir = Path.Combine(dir, "png");
        var run = CliHarness.Run(dir, "report", "--storage", $"sqlite:///{db}", "--study", "rx", "--out", Path.Combine(dir, "r2.html"), "--png", pngDir, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var files = run.Json().GetProperty("png").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["history.png", "pareto-energy.png", "pareto-flash.png", "pareto-latency.png"], files.Select(Path.GetFileName).Order());
        foreach (var f in files)
        {
            var bytes = File.ReadAllBytes(f);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            using var bmp = SkiaSharp.SKBitmap.Decode(bytes);
            Assert.NotNull(bmp);
            Assert.Equal((Reports.PngPlots.Width, Reports.PngPlots.Height), (bmp.Width, bmp.Height));
            // Not blank: many pixels differ from the background, and the plot's marker colours are there.
            var background = bmp.GetPixel(2, 2);
            int ink = 0, red = 0, blue = 0;
            for (int y = 0; y < bmp.Height; y += 2)
                for (int x = 0; x < bmp.Width; x += 2)
                {
                    var p = bmp.GetPixel(x, y);
                    if (p != background) ink++;
                    if (p.Red > 200 && p.Green < 80 && p.Blue < 80) red++;   // front markers / best-so-far line
                    if (p.Blue > 150 && p.Red < 60 && p.Green < 120) blue++; // complete trials in the history
                }
            Assert.True(ink > 2000, $"{f}: only {ink} sampled pixels differ from the background");
            Assert.True(red > 10, $"{f}: no front marker or best-so-far line drawn");
            if (Path.GetFileName(f) == "history.png") Assert.True(blue > 10, $"{f}: no trial marker drawn");
        }
    }

    [ChromiumFact]
    public void Report_renders_in_headless_chromium_without_console_errors()
    {
        var (dir, db) = Study.Value;
        var html = Path.Combine(dir, "report-chromium.html");
        Assert.Equal(0, CliHarness.Run(dir, "report", "--storage", $"sqlite:///{db}", "--study", "rx", "--out", html).ExitCode);
        var psi = new ProcessStartInfo("/usr/bin/chromium") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={Path.Combine(dir, "chromium-profile")}", "--enable-logging=stderr", "--v=0",
            "--dump-dom", "file://" + html })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var dom = p.StandardOutput.ReadToEndAsync();
        var err = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(90)), "chromium did not finish");
        // The rendered DOM has the plots and the front; the browser logged no page errors.
        Assert.Contains("<svg class=\"plot\"", dom.Result);
        Assert.Contains("front-pt", dom.Result);
        Assert.DoesNotMatch(new Regex("CONSOLE|Uncaught|Failed to load resource"), err.Result);
    }

    [Fact]
    public void Export_writes_c_source_bin_onnx_and_manifest_matching_the_measured_blob()
    {
        var (dir, db) = Study.Value;
        var outDir = Path.Combine(dir, "export");
        var run = CliHarness.Run(dir, "export", "--storage", $"sqlite:///{db}", "--study", "rx", "--trial", "0", "--out", outDir, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var f in new[] { "digits_cnn.c", "digits_cnn.h", "digits_cnn.bin", "digits_cnn.onnx", "manifest.json" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        var m = manifest.RootElement;
        // The exported blob is the one the trial measured: same hash as stored with the trial.
        Assert.Equal(m.GetProperty("metrics").GetProperty("blob_sha256").GetString(), m.GetProperty("blob_sha256").GetString());
        Assert.Equal(3, m.GetProperty("weight_bits").EnumerateObject().Count());
        Assert.Equal(new FileInfo(Path.Combine(outDir, "digits_cnn.bin")).Length, m.GetProperty("blob_bytes").GetInt64());

        // The C source compiles warning-free as C11.
        var psi = new ProcessStartInfo("gcc") { WorkingDirectory = outDir, RedirectStandardError = true };
        foreach (var a in new[] { "-std=c11", "-Wall", "-Wextra", "-Werror", "-c", "digits_cnn.c", "-o", "digits_cnn.o" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
    }

    [Fact]
    public void Export_of_a_missing_trial_names_it()
    {
        var (dir, db) = Study.Value;
        var run = CliHarness.Run(dir, "export", "--storage", $"sqlite:///{db}", "--study", "rx", "--trial", "99", "--out", Path.Combine(dir, "x"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("no trial 99", run.Stderr);
    }
}

/// <summary>A fact that needs Debian's chromium (.ci/run installs it); skips with the install command elsewhere.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists("/usr/bin/chromium")) Skip = "chromium is not installed: apt-get install --no-install-recommends chromium";
    }
}
