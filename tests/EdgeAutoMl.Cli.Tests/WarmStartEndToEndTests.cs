using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>--warm-start: copy an earlier study's measurements when they carry over, else re-measure its best configurations.</summary>
public class WarmStartEndToEndTests
{
    private static readonly Lazy<(string Dir, string Db)> Earlier = new(() =>
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "w.db");
        var run = CliHarness.Run(dir, [.. Args(db), "--trials", "4", "--study", "first", "--pruner", "none"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return (dir, db);
    });

    private static string[] Args(string db) =>
        ["search", .. CliHarness.DataArgs("digits-mlp"), "--storage", $"sqlite:///{db}", "--device-samples", "10", "--energy-runs", "5", "--json"];

    [Fact]
    public void Same_model_data_board_and_firmware_copies_the_finished_trials_without_measuring_them()
    {
        var (dir, db) = Earlier.Value;
        var run = CliHarness.Run(dir, [.. Args(db), "--trials", "2", "--study", "copied", "--warm-start", "first"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("warm start: copied 4 finished trial(s) of study 'first' without measuring again", run.Stderr);
        var doc = run.Json();
        Assert.Equal("copied", doc.GetProperty("warm_start").GetProperty("mode").GetString());
        // 4 copied + 2 new: --trials counts this study's own outcomes.
        Assert.Equal(6, doc.GetProperty("counts").GetProperty("complete").GetInt32());
        Assert.Equal(2, doc.GetProperty("stats").GetProperty("outcomes").GetInt32());

        // The copies hold the earlier values exactly, and no board measured them: no trace, no board time.
        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT COUNT(*) FROM trials n JOIN studies sn ON sn.study_id = n.study_id AND sn.study_name = 'copied'
            JOIN trial_user_attributes w ON w.trial_id = n.trial_id AND w.key = 'warm_start'
            JOIN trials o ON o.study_id = (SELECT study_id FROM studies WHERE study_name = 'first')
                 AND w.value_json = '"copied from study ''first'' trial ' || o.number || '"'
            WHERE (SELECT GROUP_CONCAT(value, ',') FROM (SELECT value FROM trial_values WHERE trial_id = n.trial_id ORDER BY objective))
                = (SELECT GROUP_CONCAT(value, ',') FROM (SELECT value FROM trial_values WHERE trial_id = o.trial_id ORDER BY objective))
            """;
        Assert.Equal(4L, (long)cmd.ExecuteScalar()!);
    }

    [Fact]
    public void Different_calibration_enqueues_the_best_configurations_to_be_measured_again()
    {
        var (dir, db) = Earlier.Value;
        var run = CliHarness.Run(dir, [.. Args(db), "--trials", "3", "--study", "remeasured", "--warm-start", "first", "--calibration", "percentile"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"warm start: enqueued [1-3] best configuration\(s\) of study 'first' to be measured again \(model, data or calibration differ\)", run.Stderr);
        var doc = run.Json();
        var warm = doc.GetProperty("warm_start");
        Assert.Equal("enqueued", warm.GetProperty("mode").GetString());
        int enqueued = warm.GetProperty("count").GetInt32();
        // Nothing copied, nothing left waiting: 3 trials, the enqueued ones first, each measured here on the device.
        Assert.Equal(3, doc.GetProperty("counts").GetProperty("total").GetInt32());
        var trials = doc.GetProperty("trials").EnumerateArray().ToList();
        Assert.All(trials, t => Assert.True(t.GetProperty("metrics").TryGetProperty("energy_uj", out _)));

        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = """
            SELECT COUNT(*) FROM trials t JOIN studies s ON s.study_id = t.study_id AND s.study_name = 'remeasured'
            JOIN trial_user_attributes w ON w.trial_id = t.trial_id AND w.key = 'warm_start' AND w.value_json LIKE '"enqueued from study ''first''%'
            JOIN trial_user_attributes b ON b.trial_id = t.trial_id AND b.key = 'time_board_busy_s' AND CAST(b.value_json AS REAL) > 0
            WHERE t.state = 'COMPLETE' AND t.number < @n
            """;
        cmd.Parameters.AddWithValue("@n", enqueued);
        Assert.Equal((long)enqueued, (long)cmd.ExecuteScalar()!);
    }
}
