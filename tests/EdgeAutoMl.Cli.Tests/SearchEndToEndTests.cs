using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>The main job, end to end: CLI → study → quantizer → simulator over a pseudo-terminal → SQLite.</summary>
public class SearchEndToEndTests
{
    [Fact]
    public void Six_trial_search_on_digits_mlp_stores_six_complete_trials_with_all_objectives()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "6", "--storage", $"sqlite:///{db}",
            "--study", "e2e", "--device-samples", "50", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        c.Open();
        long Scalar(string sql) { using var cmd = c.CreateCommand(); cmd.CommandText = sql; return (long)cmd.ExecuteScalar()!; }
        long complete = Scalar("SELECT COUNT(*) FROM trials WHERE state = 'COMPLETE'");
        Assert.True(complete == 6, $"{complete} of 6 trials complete; the run said:\n{run}");
        Assert.Equal(6, Scalar("SELECT COUNT(*) FROM trials"));
        // Four objectives per trial: accuracy, energy, latency, flash — all finite.
        Assert.Equal(24, Scalar("SELECT COUNT(*) FROM trial_values WHERE value IS NOT NULL"));
        Assert.Equal(4, Scalar("SELECT COUNT(*) FROM study_directions"));
        foreach (var key in new[] { "accuracy", "energy_uj", "latency_ms", "flash_bytes", "device_mismatches" })
            Assert.Equal(6, Scalar($"SELECT COUNT(*) FROM trial_user_attributes WHERE key = '{key}'"));

        // Energy and latency are real measurements: positive, and the JSON front is non-empty.
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT MIN(value) FROM trial_values WHERE objective IN (1, 2)";
            Assert.True((double)cmd.ExecuteScalar()! > 0);
        }
        var doc = run.Json();
        Assert.Equal(6, doc.GetProperty("counts").GetProperty("complete").GetInt32());
        Assert.True(doc.GetProperty("pareto_front").GetArrayLength() >= 1);
        foreach (var t in doc.GetProperty("trials").EnumerateArray())
            Assert.Equal(0, t.GetProperty("metrics").GetProperty("device_mismatches").GetInt32());
    }
}
