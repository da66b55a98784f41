using System.Text.Json;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>One configuration through every rung, on the simulator.</summary>
public class EvaluateEndToEndTests
{
    private static double CardAccuracy(string model)
    {
        using var card = JsonDocument.Parse(File.ReadAllText(CliHarness.Sample(model + ".json")));
        return card.RootElement.GetProperty("metric").GetProperty("value").GetDouble();
    }

    [Theory]
    [InlineData("digits-mlp", 450)]
    [InlineData("digits-cnn", 450)]
    [InlineData("cancer-mlp", 171)]
    public void All_8_bit_is_within_one_point_of_float_and_device_equals_host_engine_on_every_sample(string model, int validationSamples)
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs(model), "--bits", "8", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var m = run.Json().GetProperty("metrics");
        double floatAcc = CardAccuracy(model);
        Assert.InRange(m.GetProperty("accuracy").GetDouble(), floatAcc - 0.01, 1.0);
        Assert.InRange(m.GetProperty("accuracy_int").GetDouble(), floatAcc - 0.01, 1.0);
        Assert.Equal(validationSamples, m.GetProperty("device_samples").GetInt32());
        Assert.Equal(0, m.GetProperty("device_mismatches").GetInt32());
        Assert.True(m.GetProperty("energy_uj").GetDouble() > 0);
        Assert.True(m.GetProperty("latency_ms").GetDouble() > 0);
    }

    [Fact]
    public void Corrupted_dropped_and_duplicated_bytes_on_the_line_are_retried_and_the_result_is_exact()
    {
        // 0.3% of bytes in each direction flipped, dropped or duplicated by the simulated line
        // (about one frame in six damaged): CRC rejects the frames, the client retries, and the
        // outputs still match bit for bit.
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--bits", "4",
            "--device-samples", "60", "--sim-fault-rate", "0.003", "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var m = run.Json().GetProperty("metrics");
        Assert.Equal(60, m.GetProperty("device_samples").GetInt32());
        Assert.Equal(0, m.GetProperty("device_mismatches").GetInt32());
    }
}
