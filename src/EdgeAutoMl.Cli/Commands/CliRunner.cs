using System.Text.Json;
using EdgeAutoMl.Cli.Output;

namespace EdgeAutoMl.Cli.Commands;

/// <summary>
/// Runs a command body with the CLI's error policy: any failure is one line on stderr naming
/// the cause (and, with --json, a JSON error document on stdout), exit code 1.
/// </summary>
internal static class CliRunner
{
    public static async Task<int> RunAsync(bool json, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("edgeautoml: cancelled");
            return 130;
        }
        catch (Exception e)
        {
            var message = OneLine(e);
            Console.Error.WriteLine($"edgeautoml: error: {message}");
            if (Environment.GetEnvironmentVariable("EDGEAUTOML_DEBUG") == "1") Console.Error.WriteLine(e);
            if (json) JsonOut.Write(new { error = message, kind = e.GetType().Name });
            return 1;
        }
    }

    /// <summary>The message of the exception (and inner ones, when they add something) on one line.</summary>
    public static string OneLine(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
            if (!parts.Any(p => p.Contains(x.Message, StringComparison.Ordinal))) parts.Add(x.Message);
        return string.Join(": ", parts).ReplaceLineEndings(" ");
    }

    /// <summary>Repository root: where boards/, firmware/ and simulators/ are.</summary>
    public static string RepoRoot()
    {
        if (Environment.GetEnvironmentVariable("EDGEAUTOML_ROOT") is { Length: > 0 } r) return r;
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeAutoMl.sln"))) return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
