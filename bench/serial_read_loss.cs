#:package System.IO.Ports
// Why SerialPortLink reads without a timeout: System.IO.Ports on Linux drops the bytes of a read
// whose timeout fires while its I/O loop is reading them. Two ptys side by side in one run, one
// byte every INTERVAL ms (±3 ms) on each; one reader uses ReadTimeout = TIMEOUT, the other none.
//   dotnet run bench/serial_read_loss.cs -- [SECONDS=60] [TIMEOUT_MS=30] [INTERVAL_MS=30]
// Each byte carries a counter, so a lost byte shows as a gap at the receiver.
using System.IO.Ports;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

int seconds = args.Length > 0 ? int.Parse(args[0]) : 60;
int timeoutMs = args.Length > 1 ? int.Parse(args[1]) : 30;
int intervalMs = args.Length > 2 ? int.Parse(args[2]) : 30;
var runs = new[] { timeoutMs, SerialPort.InfiniteTimeout }.Select(t => Task.Run(() => Run(t, seconds, intervalMs))).ToArray();
foreach (var r in await Task.WhenAll(runs))
    Console.WriteLine($"read timeout {(r.Timeout < 0 ? "none" : r.Timeout + " ms"),7}: sent {r.Sent}, received {r.Received}, lost {r.Sent - r.Received}");

static (int Timeout, long Sent, long Received) Run(int timeoutMs, int seconds, int intervalMs)
{
    int fd = Pty.posix_openpt(2 | 0x100); // O_RDWR | O_NOCTTY
    var name = new byte[128];
    if (fd < 0 || Pty.grantpt(fd) != 0 || Pty.unlockpt(fd) != 0 || Pty.ptsname_r(fd, name, name.Length) != 0)
        throw new IOException("cannot open a pty pair");
    using var master = new FileStream(new SafeFileHandle(fd, true), FileAccess.ReadWrite, 0);
    using var port = new SerialPort(System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0)), 115200) { ReadTimeout = timeoutMs };
    port.Open();
    long received = 0;
    var reader = new Thread(() =>
    {
        var buf = new byte[4096];
        while (true)
        {
            try { received += port.BaseStream.Read(buf, 0, buf.Length); }
            catch (TimeoutException) { }
            catch { return; } // the port was closed
        }
    });
    reader.Start();
    var rnd = new Random(timeoutMs);
    long sent = 0;
    var end = DateTime.UtcNow.AddSeconds(seconds);
    var one = new byte[1];
    for (; DateTime.UtcNow < end; sent++)
    {
        one[0] = (byte)sent;
        master.Write(one, 0, 1);
        Thread.Sleep(Math.Max(0, intervalMs - 3 + rnd.Next(7)));
    }
    Thread.Sleep(500);
    port.Close();
    reader.Join();
    return (timeoutMs, sent, received);
}

static class Pty
{
    [DllImport("libc")] public static extern int posix_openpt(int flags);
    [DllImport("libc")] public static extern int grantpt(int fd);
    [DllImport("libc")] public static extern int unlockpt(int fd);
    [DllImport("libc")] public static extern int ptsname_r(int fd, byte[] buf, nint len);
}
