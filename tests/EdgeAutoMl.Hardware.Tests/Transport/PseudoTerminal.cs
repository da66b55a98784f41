using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeAutoMl.Hardware.Tests.Transport;

/// <summary>
/// A bare pty pair from libc (posix_openpt): the test writes on the master, the code under test
/// opens the slave path as a serial port. No firmware and no socat in between.
/// </summary>
internal sealed partial class PseudoTerminal : IDisposable
{
    private const int O_RDWR = 2, O_NOCTTY = 0x100;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ptsname_r(int fd, Span<byte> buf, nint len);

    private readonly SafeFileHandle _master;

    /// <summary>The slave's path, /dev/pts/N.</summary>
    public string SlavePath { get; }

    /// <summary>Writes go to whoever opened <see cref="SlavePath"/>.</summary>
    public FileStream Master { get; }

    public PseudoTerminal()
    {
        int fd = posix_openpt(O_RDWR | O_NOCTTY);
        if (fd < 0) throw new IOException($"posix_openpt failed: errno {Marshal.GetLastPInvokeError()}");
        _master = new SafeFileHandle(fd, ownsHandle: true);
        Span<byte> name = stackalloc byte[128];
        if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name, name.Length) != 0)
            throw new IOException($"cannot set up the pty slave: errno {Marshal.GetLastPInvokeError()}");
        SlavePath = System.Text.Encoding.ASCII.GetString(name[..name.IndexOf((byte)0)]);
        Master = new FileStream(_master, FileAccess.ReadWrite, bufferSize: 0);
    }

    public void Dispose()
    {
        Master.Dispose();
        _master.Dispose();
    }
}
