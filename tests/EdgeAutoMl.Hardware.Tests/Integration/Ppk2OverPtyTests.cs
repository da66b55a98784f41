using System.Buffers.Binary;
using EdgeAutoMl.Hardware.Monitors;
using EdgeAutoMl.Hardware.Monitors.Ppk2;
using EdgeAutoMl.Hardware.Simulation;
using EdgeAutoMl.Hardware.Transport;
using Xunit.Abstractions;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>The PPK2 driver against the simulated PPK2's byte stream over a real pty.</summary>
[Collection("simulators")]
public class Ppk2OverPtyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Raw_stream_counters_advance_by_one()
    {
        await using var rig = await Rig.StartAsync();
        await using var link = SerialPortLink.Open(rig.MonitorPort!, 115200);
        await link.WriteAsync(new[] { Ppk2Commands.SetPowerMode, Ppk2Commands.PowerModeAmpere });
        await link.WriteAsync(Ppk2Commands.RegulatorSetCommand(3000));
        await link.WriteAsync(new byte[] { Ppk2Commands.DeviceRunningSet, 1 });
        await link.WriteAsync(new[] { Ppk2Commands.AverageStart });
        var bytes = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (bytes.Count < 4 * 2000) bytes.AddRange(buffer.AsSpan(0, await link.ReadAsync(buffer, cts.Token)).ToArray());
        await link.WriteAsync(new[] { Ppk2Commands.AverageStop });

        var words = Enumerable.Range(0, 2000).Select(i => Ppk2Sample.FromWord(BinaryPrimitives.ReadUInt32LittleEndian(bytes.ToArray().AsSpan(4 * i)))).ToArray();
        for (int i = 1; i < words.Length; i++)
            Assert.True((words[i - 1].Counter + 1) % 64 == words[i].Counter, $"sample {i}: counter {words[i].Counter} after {words[i - 1].Counter}");
        Assert.All(words, w => Assert.Equal(0, w.Logic & 1)); // nothing runs: trigger low
    }

    [Fact]
    public async Task Monitor_reads_metadata_and_streams_the_idle_current()
    {
        await using var rig = await Rig.StartAsync(new SimulatedRigOptions { NoiseMicroamps = 20, MonitorSeed = 3 });
        await using var monitor = await Ppk2Monitor.OpenAsync(rig.MonitorPort!);
        Assert.All(monitor.Metadata.R, r => Assert.True(r > 0));
        output.WriteLine($"metadata: HW {monitor.Metadata.HardwareVersion}, VDD {monitor.Metadata.VddMillivolts}, mode {monitor.Metadata.Mode}, R [{string.Join(", ", monitor.Metadata.R)}]");

        await monitor.StartCaptureAsync();
        await Task.Delay(300);
        var trace = await monitor.StopCaptureAsync();
        Assert.True(trace.Count >= 1000, $"only {trace.Count} samples");
        Assert.Equal(0, trace.LostSamples);
        Assert.Equal(0, trace.Resyncs);
        double mean = trace.CurrentMicroamps.Average(c => (double)c);
        double idle = rig.Board.CostModel!.IdleMicroamps;
        // 20 µA of noise averages out over thousands of samples; allow 1 % for the ADC's resolution.
        Assert.InRange(mean, idle * 0.99, idle * 1.01);
        output.WriteLine($"{trace.Count} samples, mean {mean:0.0} µA (idle {idle} µA)");
    }

    [Fact]
    public async Task Dropped_samples_are_counted_and_time_is_kept()
    {
        await using var rig = await Rig.StartAsync(new SimulatedRigOptions { SampleDropRate = 0.01, MonitorSeed = 9 });
        await using var monitor = await Ppk2Monitor.OpenAsync(rig.MonitorPort!);
        await monitor.StartCaptureAsync();
        await Task.Delay(300);
        var trace = await monitor.StopCaptureAsync();
        Assert.True(trace.LostSamples > 0);
        Assert.Equal(trace.LostSamples, trace.CurrentMicroamps.Count(float.IsNaN));
        output.WriteLine($"{trace.Count} slots, {trace.LostSamples} lost, {trace.Resyncs} resyncs");
    }

    [Fact]
    public async Task A_port_that_is_no_ppk2_is_a_clear_timeout()
    {
        await using var rig = await Rig.StartAsync(new SimulatedRigOptions { WithMonitor = false });
        // The firmware's pty stays silent to PPK2 commands (no 0x00 ends them as a frame).
        var e = await Assert.ThrowsAsync<PowerMonitorException>(() =>
            Ppk2Monitor.OpenAsync(rig.DevicePort, new Ppk2MonitorOptions { MetadataTimeout = TimeSpan.FromMilliseconds(500) }));
        Assert.Contains(rig.DevicePort, e.Message);
        Assert.Contains("GetMetadata (0x19)", e.Message);
    }
}
