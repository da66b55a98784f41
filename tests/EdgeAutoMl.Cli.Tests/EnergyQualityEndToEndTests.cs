using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>A noisy energy measurement is repeated (bounded) and flagged on the trial.</summary>
public class EnergyQualityEndToEndTests
{
    [Fact]
    public void Noisy_simulated_monitor_makes_every_trial_repeat_and_flag_its_energy()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "3", "--storage", $"sqlite:///{db}",
            "--study", "noisy", "--device-samples", "5", "--energy-runs", "10", "--sim-noise-ua", "20000",
            "--energy-max-cv", "0.05", "--energy-repeats", "2"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        long Scalar(string sql) { using var cmd = c.CreateCommand(); cmd.CommandText = sql; return Convert.ToInt64(cmd.ExecuteScalar()); }
        long measured = Scalar("SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'trace_rate_hz'");
        Assert.True(measured >= 1);
        // 20 mA of noise on a ~21 mA signal: no repeat can bring the spread under 5 %.
        Assert.Equal(measured, Scalar("SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'energy_repeats' AND value_json = '2'"));
        Assert.Equal(measured, Scalar("SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'energy_noisy' AND value_json = 'true'"));
        Assert.Equal(0, Scalar("SELECT COUNT(*) FROM trial_user_attributes WHERE key = 'energy_cv' AND CAST(value_json AS REAL) <= 0.05"));
    }
}
