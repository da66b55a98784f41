using System.Diagnostics;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>
/// Issue #6's noisy-line acceptance through the CLI: the host firmware's injector flips, drops and
/// duplicates bytes in both directions behind its pty (--sim-fault-rate), and the device rung either
/// completes with outputs equal to the engine's or fails with a named error after bounded retries.
/// </summary>
public class LinkFaultEndToEndTests
{
    [Fact]
    public void One_percent_line_noise_still_gives_bit_exact_device_outputs()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--bits", "4",
            "--device-samples", "60", "--sim-fault-rate", "0.01", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var m = run.Json().GetProperty("metrics");
        Assert.Equal(60, m.GetProperty("device_samples").GetInt32());
        Assert.Equal(0, m.GetProperty("device_mismatches").GetInt32());
        Assert.True(m.GetProperty("energy_uj").GetDouble() > 0);
    }

    [Fact]
    public void A_hopeless_line_fails_with_a_named_error_not_a_hang()
    {
        var sw = Stopwatch.StartNew();
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--bits", "4",
            "--device-samples", "10", "--sim-fault-rate", "0.3", "--json"]);
        sw.Stop();
        Assert.NotEqual(0, run.ExitCode);
        var error = run.Json();
        Assert.Equal("DeviceProtocolException", error.GetProperty("kind").GetString());
        Assert.Matches(@"^[A-Z_]+ \(seq \d+\) on /dev/pts/\d+: failed: no valid response after \d+ attempts", error.GetProperty("error").GetString());
        // The noisy-line policy allows 31 attempts of at most 200 ms each; the rest is start-up (and a build on first use).
        Assert.True(sw.Elapsed < TimeSpan.FromMinutes(3), $"took {sw.Elapsed}");
    }
}
