using System.Diagnostics;

namespace EdgeAutoMl.Storage.Tests.Interop;

/// <summary>
/// A fact that needs Debian's python3-optuna. xunit 2 cannot skip at run time, so the check runs when the attribute
/// is created and sets <see cref="FactAttribute.Skip"/> with the reason (and the fix) when the module is missing.
/// </summary>
public sealed class OptunaFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> MissingReason = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found: apt-get install python3 python3-optuna";
        try
        {
            var (code, _, err) = PythonRunner.Run(["-c", "import optuna"], TimeSpan.FromSeconds(60));
            return code == 0 ? null : $"python3-optuna not installed ({err.Trim().Split('\n').LastOrDefault()}): apt-get install python3-optuna";
        }
        catch (Exception e)
        {
            return $"cannot run {Python}: {e.Message}";
        }
    });

    public OptunaFactAttribute()
    {
        if (MissingReason.Value is { } reason) Skip = reason;
    }
}

internal static class PythonRunner
{
    public static (int ExitCode, string Stdout, string Stderr) Run(IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(OptunaFactAttribute.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {psi.FileName}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
