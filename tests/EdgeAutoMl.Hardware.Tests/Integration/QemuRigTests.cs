using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Energy;
using EdgeAutoMl.Hardware.Monitors.Ppk2;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using Xunit.Abstractions;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>The unchanged protocol client and PPK2 monitor against the firmware running under qemu-system-arm.</summary>
[Collection("simulators")]
public class QemuRigTests(ITestOutputHelper output)
{
    private static BoardProfile Board() =>
        BoardProfileLoader.LoadById(Path.Combine(RepoLocator.FindRoot(), "boards"), "qemu-mps2-an386");

    private static async Task<QemuRig> StartAsync(bool monitor)
    {
        await QemuBuild.EnsureAsync();
        return await QemuRig.StartAsync(Board(), new QemuRigOptions { WithMonitor = monitor });
    }

    private static async Task<(sbyte[] Output, RunResult Run, DeviceInfo Info)> IdentifyAndRunAsync()
    {
        await using var rig = await StartAsync(monitor: false);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud, QemuRig.ClientOptions);
        var info = await client.IdentifyAsync();
        await client.LoadModelAsync(DeviceOverPtyTests.SmallBlob());
        sbyte[] x = [10, -20, 30, -40];
        await client.SetInputAsync(x.Select(v => (byte)v).ToArray());
        var run = await client.RunAsync(3, trigger: false);
        var y = (await client.ReadOutputAsync(2)).Select(v => (sbyte)v).ToArray();
        return (y, run, info);
    }

    [QemuFact]
    public async Task Identify_and_run_the_hand_built_blob_under_qemu_with_identical_cycles_across_boots()
    {
        var a = await IdentifyAndRunAsync();
        var b = await IdentifyAndRunAsync();
        Assert.Equal("qemu-mps2-an386", a.Info.BoardId);
        Assert.Equal(25_000_000u, a.Info.ClockHz);
        Assert.Equal(1u << 20, a.Info.ModelCapacity);
        Assert.Equal(new sbyte[] { -16, -70 }, a.Output); // worked by hand in DeviceOverPtyTests
        Assert.Equal(a.Output, b.Output);
        Assert.Equal(a.Run.CyclesMin, a.Run.CyclesMax); // -icount shift=0 + the port's SysTick rephasing
        Assert.Equal(a.Run.CyclesTotal, b.Run.CyclesTotal);
        Assert.InRange(a.Run.CyclesMin, 1u, 100_000u);
        output.WriteLine($"{a.Info}; {a.Run.CyclesMin} cycles per inference (25 MHz SysTick), both boots");
    }

    [QemuFact]
    public async Task Trigger_windows_from_qemu_reach_the_simulated_ppk2()
    {
        const int K = 512, N = 160;
        var w = new sbyte[N, K];
        for (int c = 0; c < N; c++) for (int j = 0; j < K; j++) w[c, j] = (sbyte)((c + j) % 5 - 2);
        var bias = Enumerable.Range(0, N).Select(c => c * 10).ToArray();
        var mult = Enumerable.Repeat(1 << 30, N).ToArray();
        var shift = Enumerable.Repeat(-6, N).ToArray();
        var x = Enumerable.Range(0, K).Select(j => (sbyte)(j % 11 - 5)).ToArray();

        await using var rig = await StartAsync(monitor: true);
        await using var device = DeviceClient.Open(rig.DevicePort, rig.Board.Baud, QemuRig.ClientOptions);
        await using var monitor = await Ppk2Monitor.OpenAsync(rig.MonitorPort!, new Ppk2MonitorOptions { SupplyMillivolts = (int)(rig.Board.SupplyVolts * 1000) });
        await device.LoadModelAsync(TestBlobs.FullyConnected8(w, bias, mult, shift, 0, 0));
        await device.SetInputAsync(x.Select(v => (byte)v).ToArray());

        await monitor.StartCaptureAsync();
        var run = await device.RunAsync(5, trigger: true);
        await Task.Delay(50); // let the last falling edge reach the monitor
        var trace = await monitor.StopCaptureAsync();
        var y = (await device.ReadOutputAsync(N)).Select(v => (sbyte)v).ToArray();
        Assert.Equal(TestBlobs.ReferenceFullyConnected(x, w, bias, mult, shift, 0, 0), y);
        Assert.Equal(run.CyclesMin, run.CyclesMax);

        var cost = rig.Board.CostModel!;
        double seconds = (double)run.CyclesMin / rig.Board.ClockHz;
        double expectedUj = rig.Board.SupplyVolts * (cost.ActiveMicroamps + 8 * cost.MicroampsPerWeightBit) * seconds;
        var energy = EnergyIntegrator.Integrate(trace, rig.Board.Monitor.TriggerChannel);
        output.WriteLine($"{run.CyclesMin} cycles = {seconds * 1e3:0.0000} ms virtual; {energy.Windows.Count} windows; " +
                         $"{energy.MeanEnergyMicrojoules:0.000} ± {energy.StdDevEnergyMicrojoules:0.000} µJ (expected {expectedUj:0.000}); " +
                         $"{energy.MeanDurationSeconds * 1e3:0.0000} ms; lost {trace.LostSamples}");
        Assert.Equal(5, energy.Windows.Count);
        Assert.InRange(energy.MeanDurationSeconds, seconds * 0.97, seconds * 1.03);
        Assert.InRange(energy.MeanEnergyMicrojoules, expectedUj * 0.95, expectedUj * 1.05);
    }
}
