using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>A fact skipped, with the install line, when the QEMU backend's tools are missing.</summary>
public sealed class QemuToolsFactAttribute : FactAttribute
{
    public QemuToolsFactAttribute()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = new[] { "qemu-system-arm", "arm-none-eabi-gcc", "socat", "cmake" }
            .Where(t => !path.Any(d => File.Exists(Path.Combine(d, t)))).ToList();
        if (missing.Count > 0)
            Skip = $"{string.Join(", ", missing)} not found: apt-get install -y --no-install-recommends qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi socat cmake";
    }
}

/// <summary>
/// Issue #6's acceptance on the QEMU backend: <c>edgeautoml search --port qemu</c> runs the
/// firmware cross-compiled for a Cortex-M4 under qemu-system-arm, and the device's outputs equal
/// the C# integer engine's on every validation sample it ran (all of them: 450 for digits-mlp),
/// with energy measured through the QEMU trigger UART → bridge → simulated PPK2.
/// </summary>
public class QemuSearchEndToEndTests(ITestOutputHelper output)
{
    [QemuToolsFact]
    public void Search_on_qemu_matches_the_engine_on_every_validation_sample_and_measures_energy_through_the_trigger()
    {
        CortexMBuild.EnsureQemuImage();
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        var sw = Stopwatch.StartNew();
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "2", "--port", "qemu",
            "--storage", $"sqlite:///{db}", "--study", "qemu-e2e", "--json"]);
        sw.Stop();
        output.WriteLine($"search --port qemu, 2 trials: {sw.Elapsed.TotalSeconds:0.0} s");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("qemu-mps2-an386", run.Stderr);

        int validationSamples = CortexMBuild.NpyRows(CliHarness.Sample("digits-mlp.val.y.npy"));
        using var board = JsonDocument.Parse(File.ReadAllText(Path.Combine(CliHarness.RepoRoot, "boards", "qemu-mps2-an386.json")));
        var cost = board.RootElement.GetProperty("cost_model");
        double volts = board.RootElement.GetProperty("supply_v").GetDouble();
        double activeUa = cost.GetProperty("active_ua").GetDouble(), perBitUa = cost.GetProperty("ua_per_weight_bit").GetDouble();

        var doc = run.Json();
        Assert.Equal(2, doc.GetProperty("counts").GetProperty("complete").GetInt32());
        foreach (var t in doc.GetProperty("trials").EnumerateArray())
        {
            var m = t.GetProperty("metrics");
            int samples = m.GetProperty("device_samples").GetInt32();
            Assert.Equal(validationSamples, samples);                  // every validation sample ran on QEMU
            Assert.Equal(0, m.GetProperty("device_mismatches").GetInt32()); // and each output equals the C# engine's
            // Energy from the trigger windows: E / (V · latency) is the mean current inside the window,
            // which the bridge replays between the active current and active + 8 bits' worth.
            double energyUj = m.GetProperty("energy_uj").GetDouble(), latencyMs = m.GetProperty("latency_ms").GetDouble();
            Assert.True(energyUj > 0 && latencyMs > 0, $"trial {t.GetProperty("number")}: energy {energyUj} µJ, latency {latencyMs} ms");
            double meanUa = energyUj / (volts * latencyMs * 1e-3);
            output.WriteLine($"trial {t.GetProperty("number")}: {samples} samples, 0 mismatches, {energyUj:0.000} µJ over {latencyMs} ms → {meanUa / 1000:0.0} mA");
            Assert.InRange(meanUa, 0.9 * activeUa, 1.1 * (activeUa + 8 * perBitUa));
        }
    }
}

/// <summary>Builds the Cortex-M firmware images the CLI tests need (cmake is incremental, so a second call is cheap).</summary>
internal static class CortexMBuild
{
    private static readonly object Gate = new();
    private static bool _qemuBuilt;

    public static void EnsureQemuImage()
    {
        lock (Gate)
        {
            if (_qemuBuilt) return;
            string root = CliHarness.RepoRoot;
            Run(root, "cmake", "-S", "firmware", "-B", "firmware/build-qemu", "-DEDGEAUTOML_PORT=qemu", "-DCMAKE_BUILD_TYPE=MinSizeRel",
                $"-DCMAKE_TOOLCHAIN_FILE={Path.Combine(root, "firmware/cmake/arm-none-eabi.cmake")}");
            Run(root, "cmake", "--build", "firmware/build-qemu", "-j2");
            Run(root, "cmake", "-S", "simulators", "-B", "simulators/build", "-DCMAKE_BUILD_TYPE=Release");
            Run(root, "cmake", "--build", "simulators/build", "-j2");
            _qemuBuilt = true;
        }
    }

    /// <summary>Runs a build step; throws with its output when it fails.</summary>
    public static string Run(string cwd, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    /// <summary>First dimension of a .npy array, from its header's shape.</summary>
    public static int NpyRows(string path)
    {
        var bytes = File.ReadAllBytes(path);
        // Magic (6 bytes), major, minor, then the header length: u16 in version 1, u32 from version 2.
        bool v1 = bytes[6] == 1;
        int headerLen = v1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = v1 ? 10 : 12;
        var header = Encoding.ASCII.GetString(bytes, start, headerLen);
        var m = Regex.Match(header, @"'shape':\s*\((\d+)");
        if (!m.Success) throw new InvalidDataException($"{path}: no shape in the .npy header: {header}");
        return int.Parse(m.Groups[1].Value);
    }
}
