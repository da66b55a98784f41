namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// A byte pipe to a device: a serial port (real UART, USB CDC, or a pseudo-terminal slave) or,
/// in codec tests, an in-process stream. Reads and writes raw bytes; framing lives above it.
/// </summary>
public interface ISerialLink : IAsyncDisposable
{
    /// <summary>Where the link goes, e.g. "/dev/ttyACM0" or "/dev/pts/7"; used in every error message.</summary>
    string PortName { get; }

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    /// <exception cref="Protocol.DeviceUnreachableException">The port is gone.</exception>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Reads at least one byte (waiting as needed) into <paramref name="buffer"/>; returns the count.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (e.g. a timeout).</exception>
    /// <exception cref="Protocol.DeviceUnreachableException">The port is gone.</exception>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Drops bytes already received but not yet read (e.g. stale samples before a command).</summary>
    void DiscardInput();
}
