using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using Xunit.Abstractions;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>
/// The host firmware's pty paced like a UART (--baud): the windowed transfer keeps several chunks
/// in flight at a line rate. Throughput figures are measured in bench/link-throughput.sh, not here.
/// </summary>
[Collection("simulators")]
public class PacedLinkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task At_115200_baud_the_transfer_keeps_the_window_full_and_every_byte_arrives()
    {
        await using var rig = await Rig.StartAsync(new SimulatedRigOptions { WithMonitor = false, LineBaud = 115_200 });
        await using var client = DeviceClient.Open(rig.DevicePort, 115_200);
        var info = await client.IdentifyAsync();
        var blob = new byte[12_000];
        new Random(8).NextBytes(blob);
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.LoadModelAsync(blob));
        // Random bytes: every chunk written and acknowledged, the whole-blob CRC matched, the loader refused.
        Assert.Equal(DeviceStatus.ModelInvalid, e.Status);
        output.WriteLine($"window {info.MaxWindow}, chunk {info.MaxChunk}: {client.Statistics}, max in flight {client.Statistics.MaxInFlight}");
        Assert.Equal(info.MaxWindow, client.Statistics.MaxInFlight);
        Assert.True(info.MaxWindow >= 2, "the device offers a window");
        Assert.True(client.Statistics.Retransmissions == 0, $"a paced clean line needs no resends: {client.Statistics}");
    }

    [Fact]
    public async Task A_paced_line_is_slower_than_the_unpaced_pty_by_the_line_rate()
    {
        // 2400 baud = 240 B/s: 600 bytes of chunk payload cannot arrive in under 2.5 s; unpaced it takes milliseconds.
        await using var rig = await Rig.StartAsync(new SimulatedRigOptions { WithMonitor = false, LineBaud = 2400 });
        await using var client = DeviceClient.Open(rig.DevicePort, 2400, new DeviceClientOptions { ResponseTimeout = TimeSpan.FromSeconds(20) });
        await client.IdentifyAsync();
        var blob = new byte[600];
        new Random(9).NextBytes(blob);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<DeviceProtocolException>(() => client.LoadModelAsync(blob));
        sw.Stop();
        output.WriteLine($"600 B at 2400 baud: {sw.Elapsed.TotalSeconds:0.00} s ({600 / sw.Elapsed.TotalSeconds:0} B/s payload)");
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(2.5), $"took only {sw.Elapsed}: the line is not paced");
    }
}
