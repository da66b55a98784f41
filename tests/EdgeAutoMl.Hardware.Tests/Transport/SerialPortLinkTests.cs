using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Tests.Transport;

public class SerialPortLinkTests
{
    [Fact]
    public void A_missing_port_is_a_clear_error()
    {
        var e = Assert.Throws<DeviceUnreachableException>(() => SerialPortLink.Open("/dev/ttyACM9", 115200));
        Assert.StartsWith("cannot open serial port /dev/ttyACM9: ", e.Message);
        Assert.Equal("/dev/ttyACM9", e.Port);
    }

    [Fact]
    public void A_file_that_is_not_a_tty_is_refused()
    {
        string path = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<DeviceUnreachableException>(() => SerialPortLink.Open(path, 115200));
            Assert.StartsWith($"cannot open serial port {path}: ", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_device_client_reports_the_same_error()
    {
        var e = Assert.Throws<DeviceUnreachableException>(() => DeviceClient.Open("/dev/ttyACM9", 921600));
        Assert.Contains("/dev/ttyACM9", e.Message);
    }
}

/// <summary>
/// SerialPortLink on a real pty. The link must never drop bytes: on Unix, SerialStream loses the
/// bytes of a read whose timeout fires while its I/O loop is reading, so the link reads without a
/// timeout and is unblocked by closing the port instead.
/// </summary>
public class SerialPortLinkOverPtyTests
{
    [Fact]
    public async Task Bytes_that_trickle_in_around_long_quiet_gaps_all_arrive_in_order()
    {
        using var pty = new PseudoTerminal();
        await using var link = SerialPortLink.Open(pty.SlavePath, 115200);
        var sent = new byte[240];
        new Random(3).NextBytes(sent);
        var writer = Task.Run(async () =>
        {
            for (int i = 0; i < sent.Length; i++)
            {
                pty.Master.Write(sent, i, 1);
                // Mostly a byte every millisecond or two; every 40th byte after a gap longer than
                // any read timeout a port might use, so reads start on an idle line.
                await Task.Delay(i % 40 == 39 ? 130 : i % 3);
            }
        });
        var got = new List<byte>();
        var buffer = new byte[64];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (got.Count < sent.Length)
        {
            int n = await link.ReadAsync(buffer, cts.Token);
            got.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        await writer;
        Assert.Equal(sent, got);
    }

    [Fact]
    public async Task Disposing_ends_a_waiting_read_and_later_reads_say_the_port_is_closed()
    {
        using var pty = new PseudoTerminal();
        var link = SerialPortLink.Open(pty.SlavePath, 115200);
        var pending = link.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(200); // the pump is inside its (untimed) read by now
        var dispose = Task.Run(async () => await link.DisposeAsync());
        // A liveness bound, not a speed figure: a read that is never unblocked hangs here.
        Assert.Same(dispose, await Task.WhenAny(dispose, Task.Delay(TimeSpan.FromSeconds(20))));
        var e = await Assert.ThrowsAsync<DeviceUnreachableException>(() => pending);
        Assert.Contains(pty.SlavePath, e.Message);
    }

    [Fact]
    public async Task Bytes_written_by_the_link_reach_the_other_end()
    {
        using var pty = new PseudoTerminal();
        await using var link = SerialPortLink.Open(pty.SlavePath, 115200);
        await link.WriteAsync(new byte[] { 0x00, 0x11, 0x13, 0x0D, 0x0A, 0x7F, 0xFF });
        var got = new byte[7];
        int have = 0;
        while (have < got.Length) have += await pty.Master.ReadAsync(got.AsMemory(have));
        // Raw mode: no XON/XOFF eaten, no CR/LF translated.
        Assert.Equal(new byte[] { 0x00, 0x11, 0x13, 0x0D, 0x0A, 0x7F, 0xFF }, got);
    }
}
