using System.Text.Json;

namespace EdgeAutoMl.Cli.Tests;

/// <summary><c>--act-bits</c> on evaluate and search, through the real CLI and the simulated board.</summary>
public class ActivationBitsEndToEndTests
{
    [Fact]
    public void Evaluate_with_some_layers_at_16_bits_matches_the_device_on_every_sample()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-cnn"), "--bits", "4",
            "--act-bits", "/conv1/Conv=16,/gap/GlobalAveragePool=16", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var doc = run.Json();
        var act = doc.GetProperty("act_bits");
        Assert.Equal(16, act.GetProperty("/conv1/Conv").GetInt32());
        Assert.Equal(8, act.GetProperty("/conv2/Conv").GetInt32());
        var m = doc.GetProperty("metrics");
        Assert.Equal(450, m.GetProperty("device_samples").GetInt32());
        Assert.Equal(0, m.GetProperty("device_mismatches").GetInt32());
        Assert.InRange(m.GetProperty("accuracy").GetDouble(), 0.97, 1.0);
    }

    [Fact]
    public void Evaluate_refuses_an_unknown_activation_point_naming_the_valid_ones()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-cnn"), "--act-bits", "/relu1=16", "--no-device"]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("'/relu1'", run.Stderr);
        Assert.Contains("/conv1/Conv", run.Stderr);
        var bad = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-cnn"), "--act-bits", "12", "--no-device"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("expected 8 or 16", bad.Stderr);
    }

    [Fact]
    public void Search_over_activation_bits_stores_them_and_export_rebuilds_the_measured_blob()
    {
        var dir = CliHarness.TempDir();
        var db = Path.Combine(dir, "a.db");
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "4", "--storage", $"sqlite:///{db}",
            "--study", "act", "--act-bits", "search", "--device-samples", "20", "--seed", "3"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        for (int t = 0; t < 4; t++)
        {
            var outDir = Path.Combine(dir, $"export{t}");
            // Export recomputes the blob from the stored parameters and refuses if its hash differs from the measured one.
            var ex = CliHarness.Run(dir, "export", "--storage", $"sqlite:///{db}", "--study", "act", "--trial", $"{t}", "--out", outDir, "--json");
            Assert.True(ex.ExitCode == 0, ex.ToString());
        }
        var badMode = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "1", "--storage", ":memory:", "--act-bits", "32"]);
        Assert.NotEqual(0, badMode.ExitCode);
        Assert.Contains("expected 8, 16 or search", badMode.Stderr);
    }
}
