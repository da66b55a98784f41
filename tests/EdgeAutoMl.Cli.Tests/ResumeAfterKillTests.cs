using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>Nothing is lost: kill -9 the orchestrator mid-study, then --resume finishes it.</summary>
public class ResumeAfterKillTests
{
    [Fact]
    public void Kill_9_mid_trial_then_resume_completes_the_study_with_nothing_left_running()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        string[] args = ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "5", "--storage", $"sqlite:///{db}",
            "--study", "kill", "--device-samples", "20", "--energy-runs", "400", "--resume"];

        // Build first, so the kill lands in the search and not in a compiler.
        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode);
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(CliHarness.RepoRoot, "edgeautoml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using (var p = Process.Start(psi)!)
        {
            _ = p.StandardOutput.ReadToEndAsync();
            // Wait until one trial has finished and the next has started its device rung, then kill -9.
            string? line;
            int finished = 0;
            while ((line = p.StandardError.ReadLine()) is not null)
                if (line.StartsWith("trial ", StringComparison.Ordinal) && ++finished == 2) break;
            Assert.True(finished == 2, "search ended before two trials finished");
            Thread.Sleep(300);
            p.Kill(entireProcessTree: true); // SIGKILL: no cleanup code runs
            p.WaitForExit();
        }

        int running = Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'RUNNING'");
        Assert.True(Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'COMPLETE'") >= 2);

        var resumed = CliHarness.Run(dir, args);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'RUNNING'"));
        // Five outcomes; a trial failed as interrupted is not one (its configuration was queued again and retried).
        Assert.Equal(5 + running, Count(db, "SELECT COUNT(*) FROM trials WHERE state IN ('COMPLETE', 'PRUNED', 'FAIL')"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'WAITING'"));
        // The trial the kill interrupted (if one was running) is kept as FAIL with its reason.
        Assert.Equal(running, Count(db, "SELECT COUNT(*) FROM trial_system_attributes WHERE key = 'fail_reason' AND value_json LIKE '%interrupted%'"));
    }

    private static int Count(string db, string sql)
    {
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt32(cmd.ExecuteScalar());
    }
}
