using System.IO.Ports;
using EdgeAutoMl.Hardware.Protocol;

namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// <see cref="ISerialLink"/> over <see cref="SerialPort"/>: 8N1, no handshake. Opens real ports
/// (/dev/ttyACM0) and pseudo-terminal slaves (/dev/pts/N) alike; SerialPort puts the line in raw mode.
/// </summary>
public sealed class SerialPortLink : ByteQueueLink
{
    private readonly SerialPort _port;
    private readonly Thread _pump;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    private SerialPortLink(SerialPort port)
    {
        _port = port;
        _pump = new Thread(Pump) { IsBackground = true, Name = $"serial-rx {port.PortName}" };
        _pump.Start();
    }

    /// <inheritdoc/>
    public override string PortName => _port.PortName;

    /// <summary>Opens <paramref name="portName"/> at <paramref name="baud"/> baud.</summary>
    /// <exception cref="DeviceUnreachableException">"cannot open serial port PATH: reason" when it is missing, busy or not a tty.</exception>
    public static SerialPortLink Open(string portName, int baud)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(portName);
        if (baud <= 0) throw new ArgumentOutOfRangeException(nameof(baud), baud, $"baud rate for {portName} must be positive");
        var port = new SerialPort(portName, baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            // No read timeout, on purpose. On Unix a timed-out SerialStream read is a cancelled
            // request that its I/O loop may already be read()ing into: the bytes are taken from the
            // tty and then dropped (SerialStream.Unix: ProcessRead completes a request the timeout
            // has cancelled). On a line that trickles (a paced UART, a quiet monitor) that is a
            // corrupted frame now and then. The pump's one read waits until bytes come or the port
            // is closed, which Dispose does.
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 5000,
            ReadBufferSize = 1 << 20,
        };
        try
        {
            if (!File.Exists(portName)) throw new FileNotFoundException("no such device");
            port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            port.Dispose();
            throw new DeviceUnreachableException(portName, $"cannot open serial port {portName}: {e.Message}", e);
        }
        return new SerialPortLink(port);
    }

    private void Pump()
    {
        var buffer = new byte[64 * 1024];
        var stream = _port.BaseStream;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = stream.Read(buffer, 0, buffer.Length);
                if (n > 0) Enqueue(buffer.AsSpan(0, n).ToArray());
                else if (n == 0) { Fail(new IOException("end of stream")); return; }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                Fail(e);
                return;
            }
            catch { return; }
        }
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (Fault is not null) throw Fault;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Synchronous write on the thread pool: SerialStream's async path has no benefit here
            // and a blocked pty must not stall the caller's context.
            await Task.Run(() => { _port.BaseStream.Write(data.Span); _port.BaseStream.Flush(); }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException or UnauthorizedAccessException)
        {
            throw new DeviceUnreachableException(PortName, $"cannot write to serial port {PortName}: {e.Message}", e);
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc/>
    public override void DiscardInput()
    {
        try { _port.DiscardInBuffer(); } catch (Exception e) when (e is IOException or InvalidOperationException) { }
        base.DiscardInput();
    }

    /// <inheritdoc/>
    public override ValueTask DisposeAsync()
    {
        _stop.Cancel();
        CompleteQueue();
        // Closing the port ends the pump's read (SerialStream fails pending requests on dispose).
        try { _port.Close(); } catch (IOException) { }
        _port.Dispose();
        _pump.Join(TimeSpan.FromSeconds(2));
        _stop.Dispose();
        return ValueTask.CompletedTask;
    }
}
