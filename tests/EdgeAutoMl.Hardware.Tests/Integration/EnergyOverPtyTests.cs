using EdgeAutoMl.Hardware.Energy;
using EdgeAutoMl.Hardware.Monitors.Ppk2;
using EdgeAutoMl.Hardware.Protocol;
using Xunit.Abstractions;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>RUN with the trigger → windows in the PPK2 trace → energy per inference from the cost model.</summary>
[Collection("simulators")]
public class EnergyOverPtyTests(ITestOutputHelper output)
{
    private const int K = 512, N = 160;

    [Fact]
    public async Task Trigger_windows_carry_the_cost_models_energy()
    {
        var w = new sbyte[N, K];
        for (int c = 0; c < N; c++) for (int j = 0; j < K; j++) w[c, j] = (sbyte)((c + j) % 5 - 2);
        var bias = Enumerable.Range(0, N).Select(c => c * 10).ToArray();
        var mult = Enumerable.Repeat(1 << 30, N).ToArray();
        var shift = Enumerable.Repeat(-6, N).ToArray();
        var x = Enumerable.Range(0, K).Select(j => (sbyte)(j % 11 - 5)).ToArray();
        var blob = TestBlobs.FullyConnected8(w, bias, mult, shift, 0, 0);

        await using var rig = await Rig.StartAsync();
        await using var device = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        await using var monitor = await Ppk2Monitor.OpenAsync(rig.MonitorPort!, new Ppk2MonitorOptions { SupplyMillivolts = (int)(rig.Board.SupplyVolts * 1000) });
        await device.LoadModelAsync(blob);
        await device.SetInputAsync(x.Select(v => (byte)v).ToArray());

        await monitor.StartCaptureAsync();
        var run = await device.RunAsync(5, trigger: true);
        await Task.Delay(50); // let the last falling edge reach the monitor
        var trace = await monitor.StopCaptureAsync();

        var y = (await device.ReadOutputAsync(N)).Select(v => (sbyte)v).ToArray();
        Assert.Equal(TestBlobs.ReferenceFullyConnected(x, w, bias, mult, shift, 0, 0), y);

        var cost = rig.Board.CostModel!;
        double cycles = Math.Round(cost.CyclesPerOp + (double)K * N * cost.CyclesPerMac[8]);
        Assert.Equal((uint)cycles, run.CyclesMin);
        Assert.Equal((uint)cycles, run.CyclesMax);
        double seconds = cycles / rig.Board.ClockHz;
        double activeUa = cost.ActiveMicroamps + 8 * cost.MicroampsPerWeightBit;   // MAC op at 8-bit weights
        double expectedUj = rig.Board.SupplyVolts * activeUa * seconds;

        var energy = EnergyIntegrator.Integrate(trace, rig.Board.Monitor.TriggerChannel);
        output.WriteLine($"{energy.Windows.Count} windows; {energy.MeanEnergyMicrojoules:0.000} ± {energy.StdDevEnergyMicrojoules:0.000} µJ " +
                         $"(expected {expectedUj:0.000}); {energy.MeanDurationSeconds * 1e3:0.0000} ms (expected {seconds * 1e3:0.0000}); lost {trace.LostSamples}");
        Assert.Equal(5, energy.Windows.Count);
        Assert.InRange(energy.MeanEnergyMicrojoules, expectedUj * 0.97, expectedUj * 1.03);
        Assert.InRange(energy.MeanDurationSeconds, seconds * 0.97, seconds * 1.03);
        foreach (var win in energy.Windows) Assert.InRange(win.EnergyMicrojoules, expectedUj * 0.95, expectedUj * 1.05);
    }
}
