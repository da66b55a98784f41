using System.Diagnostics;
using System.Text.Json;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>Result of one <c>./edgeautoml</c> run.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout parsed as the one JSON document of --json.</summary>
    public JsonElement Json() => JsonDocument.Parse(Stdout).RootElement;
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the real CLI through the repo's <c>./edgeautoml</c> script, exactly as README and
/// users do: these are end-to-end tests against the simulator, no mocks.
/// </summary>
public static class CliHarness
{
    /// <summary>The repository root (where EdgeAutoMl.sln is).</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeAutoMl.sln"))) return d.FullName;
        throw new InvalidOperationException("repo root (EdgeAutoMl.sln) not found above " + AppContext.BaseDirectory);
    }

    public static string Sample(string file) => Path.Combine(RepoRoot, "samples", file);

    /// <summary>Runs <c>./edgeautoml args</c> in <paramref name="workDir"/> with a generous time limit.</summary>
    public static CliRun Run(string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(RepoRoot, "edgeautoml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgeautoml {string.Join(' ', args)} did not finish in 5 minutes; stderr so far: {stderr.Result}");
        }
        return new CliRun(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A fresh temporary directory for one test's files.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "edgeautoml-test-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>The data options for a sample model.</summary>
    public static string[] DataArgs(string model) =>
    [
        "--model", Sample(model + ".onnx"), "--x", Sample(model + ".val.x.npy"),
        "--y", Sample(model + ".val.y.npy"), "--calib", Sample(model + ".calib.x.npy"),
    ];
}
