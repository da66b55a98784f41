using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>
/// Issue 7's acceptance: kill -9 of the orchestrator at 10 random moments during a study, each
/// followed by --resume: the study completes with no trial lost and none left RUNNING.
/// </summary>
public class TenKillsResumeTests(ITestOutputHelper output)
{
    // Enough that ten kills at most 1.2 s into each run cannot finish the study even on an idle
    // machine (≈ 0.18 s per trial there: ≤ 70 trials by the tenth kill); the rest run in the final resume.
    private const int Trials = 100;
    private const int Seed = 20261124;

    [Fact]
    public void Kill_9_at_ten_random_moments_each_followed_by_resume_loses_no_trial()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        string[] args = ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", Trials.ToString(), "--storage", $"sqlite:///{db}",
            "--study", "kills", "--device-samples", "10", "--energy-runs", "20", "--resume"];
        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode); // build first: the kills land in searches, not in a compiler

        var rng = new Random(Seed);
        var total = Stopwatch.StartNew();
        var seen = new Dictionary<long, string>(); // number → state+values of every finished trial seen so far
        for (int k = 1; k <= 10; k++)
        {
            // A random moment in the study: after the study is open (rig up, model loaded), 0.1..1.2 s in.
            int delayMs = rng.Next(100, 1200);
            var (stderr, killedAt) = RunAndKill(dir, args, delayMs);
            var now = Finished(db);
            output.WriteLine($"kill {k}: {delayMs} ms after the study opened ({killedAt}); {now.Count} trial outcomes stored");
            Assert.True(killedAt != "exited by itself", $"the study ended before kill {k}: raise {nameof(Trials)}\n{stderr}");
            AssertNothingLost(seen, now, $"after kill {k}");
        }

        var last = CliHarness.Run(dir, [.. args, "--json"]);
        Assert.True(last.ExitCode == 0, last.ToString());
        var end = Finished(db);
        AssertNothingLost(seen, end, "after the final resume");
        output.WriteLine($"10 kills + final resume: {total.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(0, Scalar(db, "SELECT COUNT(*) FROM trials WHERE state IN ('RUNNING', 'WAITING')"));
        // Trials failed as interrupted are retries' predecessors, not outcomes: the study has exactly --trials outcomes.
        Assert.Equal(Trials, Scalar(db, """
            SELECT COUNT(*) FROM trials t WHERE state IN ('COMPLETE', 'PRUNED')
              OR (state = 'FAIL' AND NOT EXISTS (SELECT 1 FROM trial_system_attributes a
                    WHERE a.trial_id = t.trial_id AND a.key = 'fail_reason' AND a.value_json LIKE '%interrupted%'))
            """));
        // Every interrupted trial was retried, and its retry finished.
        var orphans = Scalar(db, """
            SELECT COUNT(*) FROM trials t JOIN trial_system_attributes f ON f.trial_id = t.trial_id
            WHERE f.key = 'fail_reason' AND f.value_json LIKE '%interrupted%'
              AND NOT EXISTS (SELECT 1 FROM trial_system_attributes r JOIN trials rt ON rt.trial_id = r.trial_id
                    WHERE r.key = 'failed_trial' AND CAST(r.value_json AS INTEGER) = t.number
                      AND rt.study_id = t.study_id AND rt.state IN ('COMPLETE', 'PRUNED', 'FAIL'))
            """);
        Assert.Equal(0, orphans);
        output.WriteLine($"{Scalar(db, "SELECT COUNT(*) FROM trial_system_attributes WHERE key = 'fail_reason' AND value_json LIKE '%interrupted%'")} interrupted trials, all retried");
    }

    /// <summary>Starts the search, waits for the study line, sleeps, then SIGKILLs the whole process tree.</summary>
    private static (string Stderr, string KilledAt) RunAndKill(string dir, string[] args, int delayMs)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(CliHarness.RepoRoot, "edgeautoml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        _ = p.StandardOutput.ReadToEndAsync();
        var lines = new BlockingCollection<string>();
        var log = new System.Text.StringBuilder();
        var reader = Task.Run(() =>
        {
            string? line;
            while ((line = p.StandardError.ReadLine()) is not null) { lock (log) log.AppendLine(line); lines.Add(line); }
            lines.CompleteAdding();
        });
        bool open = false;
        foreach (var line in lines.GetConsumingEnumerable(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token))
            if (line.StartsWith("study '", StringComparison.Ordinal)) { open = true; break; }
        Assert.True(open, "the search never opened its study:\n" + log);
        string at;
        if (p.WaitForExit(delayMs)) at = "exited by itself";
        else
        {
            int finishedLines;
            lock (log) finishedLines = log.ToString().Split('\n').Count(l => l.StartsWith("trial ", StringComparison.Ordinal));
            p.Kill(entireProcessTree: true); // SIGKILL: no cleanup code runs
            at = $"after {finishedLines} trial line(s) of this run";
        }
        p.WaitForExit();
        reader.Wait(TimeSpan.FromSeconds(10));
        lock (log) return (log.ToString(), at);
    }

    /// <summary>Every finished trial (number → state and values).</summary>
    private static Dictionary<long, string> Finished(string db)
    {
        var d = new Dictionary<long, string>();
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT t.number, t.state, COALESCE(GROUP_CONCAT(v.value, ','), '') FROM trials t
            LEFT JOIN trial_values v ON v.trial_id = t.trial_id
            WHERE t.state IN ('COMPLETE', 'PRUNED', 'FAIL') GROUP BY t.trial_id
            """;
        using var r = cmd.ExecuteReader();
        while (r.Read()) d[r.GetInt64(0)] = r.GetString(1) + " " + r.GetString(2);
        return d;
    }

    /// <summary>Every trial seen finished before is still there, unchanged; then remembers the new ones.</summary>
    private static void AssertNothingLost(Dictionary<long, string> seen, Dictionary<long, string> now, string when)
    {
        foreach (var (n, s) in seen)
        {
            Assert.True(now.TryGetValue(n, out var s2), $"trial {n} ({s}) is gone {when}");
            Assert.True(s == s2, $"trial {n} changed {when}: {s} -> {s2}");
        }
        foreach (var (n, s) in now) seen[n] = s;
    }

    private static long Scalar(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar());
    }
}
