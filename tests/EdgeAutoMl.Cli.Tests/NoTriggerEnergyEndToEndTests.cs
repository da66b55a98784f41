namespace EdgeAutoMl.Cli.Tests;

/// <summary>
/// The no-trigger energy path end to end: the simulated PPK2 with its trigger line cut
/// (<c>--monitor sim-notrigger</c>, as a text-stream or INA monitor without GPIO) must still give
/// energy per inference, from the firmware's run time, close to what the trigger windows give.
/// </summary>
public class NoTriggerEnergyEndToEndTests
{
    private static double Energy(string dir, string monitor)
    {
        var run = CliHarness.Run(dir, ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--bits", "8", "--monitor", monitor,
            "--device-samples", "5", "--energy-runs", "20", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Json().GetProperty("metrics").GetProperty("energy_uj").GetDouble();
    }

    [Fact]
    public void Energy_without_a_trigger_line_agrees_with_the_trigger_windows_within_ten_percent()
    {
        var dir = CliHarness.TempDir();
        double triggered = Energy(dir, "sim");
        double untriggered = Energy(dir, "sim-notrigger");
        Assert.True(triggered > 0);
        Assert.True(Math.Abs(untriggered / triggered - 1) < 0.10,
            $"no-trigger energy {untriggered:0.000} µJ vs trigger windows {triggered:0.000} µJ");
    }

    [Fact]
    public void A_search_on_a_monitor_without_trigger_completes_with_energy_on_every_trial()
    {
        var dir = CliHarness.TempDir();
        var run = CliHarness.Run(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "3", "--storage", $"sqlite:///{Path.Combine(dir, "s.db")}",
            "--study", "notrig", "--monitor", "sim-notrigger", "--device-samples", "5", "--energy-runs", "20", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var trials = run.Json().GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.True(t.GetProperty("metrics").GetProperty("energy_uj").GetDouble() > 0));
    }
}
