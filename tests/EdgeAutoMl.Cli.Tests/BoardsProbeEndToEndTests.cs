namespace EdgeAutoMl.Cli.Tests;

/// <summary><c>boards probe</c>: IDENTIFY over a real pseudo-terminal to the host-port firmware.</summary>
public class BoardsProbeEndToEndTests
{
    [Fact]
    public void Probe_of_a_simulated_board_reports_its_identity_as_json()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), "boards", "probe", "--port", "sim", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var j = run.Json();
        Assert.Equal("sim-stm32f405", j.GetProperty("board_id").GetString());
        Assert.Equal(168_000_000, j.GetProperty("clock_hz").GetInt64());
        Assert.Equal(262_144, j.GetProperty("model_capacity_bytes").GetInt64());
        Assert.EndsWith("sim-stm32f405.json", j.GetProperty("profile").GetString());
    }

    [Fact]
    public void Probe_of_a_missing_port_names_it()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), "boards", "probe", "--port", "/dev/ttyNOPE7");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/dev/ttyNOPE7", run.Stderr);
    }
}
