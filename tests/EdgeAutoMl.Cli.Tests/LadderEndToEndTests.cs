using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>The fidelity ladder end to end: static → subset accuracy → full accuracy → device, with a pruner and a class floor.</summary>
public class LadderEndToEndTests
{
    [Fact]
    public void Pruner_and_class_floor_stop_trials_before_the_device_and_record_the_rung()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "study.db");
        // Random sampler: configurations spread over 2..8 bits, so some miss the floor and successive
        // halving (no startup phase) has worse-than-half trials to stop.
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "10", "--storage", $"sqlite:///{db}",
            "--study", "ladder", "--device-samples", "20", "--energy-runs", "5", "--sampler", "random", "--seed", "3",
            "--pruner", "sha", "--subset-samples", "100", "--constraint", "class_accuracy>=0.92", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());

        using var c = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        c.Open();
        var trials = new Dictionary<long, (string State, Dictionary<string, string> Attrs, Dictionary<long, double> Steps)>();
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT trial_id, state FROM trials";
            using var r = cmd.ExecuteReader();
            while (r.Read()) trials[r.GetInt64(0)] = (r.GetString(1), [], []);
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT trial_id, key, value_json FROM trial_user_attributes";
            using var r = cmd.ExecuteReader();
            while (r.Read()) trials[r.GetInt64(0)].Attrs[r.GetString(1)] = r.GetString(2);
        }
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT trial_id, step, intermediate_value FROM trial_intermediate_values";
            using var r = cmd.ExecuteReader();
            while (r.Read()) trials[r.GetInt64(0)].Steps[r.GetInt64(1)] = r.GetDouble(2);
        }
        Assert.Equal(10, trials.Count);
        double D(string json) => double.Parse(json, CultureInfo.InvariantCulture);

        foreach (var (id, t) in trials)
        {
            if (t.State == "COMPLETE")
            {
                // Every rung ran: subset (step 1) and full (step 2) accuracy were reported, the device measured.
                Assert.True(t.Steps.ContainsKey(1) && t.Steps.ContainsKey(2), $"trial {id} completed without both rung reports");
                Assert.Equal(D(t.Attrs["accuracy"]), t.Steps[2], 9);
                Assert.True(D(t.Attrs["class_accuracy"]) >= 0.92, $"trial {id} completed with a class below the floor: {t.Attrs["class_accuracies"]}");
                Assert.True(t.Attrs.ContainsKey("energy_uj"));
            }
            else
            {
                Assert.Equal("PRUNED", t.State);
                Assert.Contains(t.Attrs["stopped_at"], new[] { "\"static\"", "\"subset\"", "\"accuracy\"" });
                Assert.Contains(t.Attrs["stopped_by"], new[] { "\"constraint\"", "\"pruner\"" });
                Assert.False(t.Attrs.ContainsKey("energy_uj"), $"trial {id} was pruned but reached the device");
            }
            // A trial whose full-set class accuracy (known once accuracy_int is) is below the floor never completes.
            if (t.Attrs.TryGetValue("class_accuracy", out var ca) && t.Attrs.ContainsKey("accuracy_int") && D(ca) < 0.92)
                Assert.NotEqual("COMPLETE", t.State);
        }
        Assert.Contains(trials.Values, t => t.State == "PRUNED" && t.Attrs["stopped_by"] == "\"pruner\"");
        Assert.Contains(trials.Values, t => t.State == "COMPLETE");
        Assert.Contains(trials.Values, t => t.State == "PRUNED" && t.Attrs["stopped_by"] == "\"constraint\"");
        Assert.Contains("pruned at the", run.Stderr);
        Assert.Contains("constraint class_accuracy>=0.92 violated", run.Stderr);
        // The progress log names the board of each measured trial and prints the front as it changes.
        Assert.Matches(@"(?m)^trial \d+ COMPLETE \[\d+/10\] board 1 bits", run.Stderr);
        Assert.Matches(@"(?m)^front: \d+ trial\(s\) \[[\d,]+\], best acc 0\.\d{4}, energy \d+\.\d{3} uJ", run.Stderr);
    }
}
