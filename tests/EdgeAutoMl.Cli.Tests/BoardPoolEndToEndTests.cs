using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>
/// The board pool, end to end: one search on four simulated boards; board 2's firmware process
/// is killed for real mid-study and a fifth board joins through the watched boards file.
/// </summary>
public class BoardPoolEndToEndTests
{
    [Fact]
    public void Forty_trials_on_four_boards_survive_a_killed_board_and_a_joining_one()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        var boardsFile = Path.Combine(dir, "boards.txt");
        File.WriteAllText(boardsFile, "# boards joining while the study runs\n");
        string[] args = ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "40", "--boards", "4", "--boards-file", boardsFile,
            "--storage", $"sqlite:///{db}", "--study", "pool", "--device-samples", "10", "--energy-runs", "10", "--seed", "3"];

        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode); // build first, so the search starts at once
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(CliHarness.RepoRoot, "edgeautoml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var log = new StringBuilder();
        int killedPid = -1;
        using (var p = Process.Start(psi)!)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            string? line;
            int finished = 0;
            while ((line = p.StandardError.ReadLine()) is not null)
            {
                log.AppendLine(line);
                if (killedPid < 0 && Regex.Match(line, @"board 2 \([^;]*fw pid (\d+)\)") is { Success: true } m)
                    killedPid = int.Parse(m.Groups[1].Value);
                if (line.StartsWith("trial ", StringComparison.Ordinal) && Regex.IsMatch(line, @"^trial \d+ (COMPLETE|PRUNED|FAIL)") && ++finished == 6)
                {
                    Assert.True(killedPid > 0, "board 2's firmware pid was not printed:\n" + log);
                    // A real kill of board 2's firmware process (SIGKILL), as a crashed or unplugged board.
                    Process.GetProcessById(killedPid).Kill();
                    File.AppendAllText(boardsFile, "sim\n");
                }
            }
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "search did not end:\n" + log);
            Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}\n{log}\n{stdout.Result}");
        }
        var text = log.ToString();
        Assert.Contains("board 2 down", text);
        Assert.Contains("board 5 joined", text);

        Assert.Equal(40, Count(db, "SELECT COUNT(*) FROM trials"));
        Assert.Equal(0, Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'RUNNING'"));
        Assert.Equal(40, Count(db, "SELECT COUNT(*) FROM trials WHERE state IN ('COMPLETE', 'PRUNED', 'FAIL')"));
        // Every failed trial says why.
        Assert.Equal(Count(db, "SELECT COUNT(*) FROM trials WHERE state = 'FAIL'"),
            Count(db, "SELECT COUNT(*) FROM trials t JOIN trial_system_attributes a ON a.trial_id = t.trial_id WHERE t.state = 'FAIL' AND a.key = 'fail_reason'"));
        // The trial that was on board 2 (or the next one sent there) moved on to another board.
        Assert.True(Count(db, "SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'boards_failed'") >= 1, text);
        // The joined board measured, and so did the restarted board 2.
        Assert.True(Count(db, "SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'board' AND value_json = '5'") >= 1, text);
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
