using System.Threading.Channels;
using EdgeAutoMl.Hardware.Protocol;

namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// Base for links whose bytes arrive on a background pump: received chunks queue in a channel so
/// that <see cref="ReadAsync"/> can honour cancellation even when the underlying stream cannot.
/// </summary>
public abstract class ByteQueueLink : ISerialLink
{
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private byte[] _current = [];
    private int _currentOffset;
    private Exception? _fault;

    /// <inheritdoc/>
    public abstract string PortName { get; }

    /// <summary>Called by the pump with bytes that arrived.</summary>
    protected void Enqueue(byte[] chunk) => _received.Writer.TryWrite(chunk);

    /// <summary>Called by the pump when the port failed; pending and later reads throw.</summary>
    protected void Fail(Exception reason)
    {
        _fault ??= reason is DeviceUnreachableException ? reason
            : new DeviceUnreachableException(PortName, $"serial port {PortName} is gone: {reason.Message}", reason);
        _received.Writer.TryComplete();
    }

    /// <summary>The failure recorded by the pump, if any.</summary>
    protected Exception? Fault => _fault;

    /// <inheritdoc/>
    public abstract ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <inheritdoc/>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_currentOffset >= _current.Length)
        {
            try
            {
                if (!await _received.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                    throw _fault ?? new DeviceUnreachableException(PortName, $"serial port {PortName} is closed");
            }
            catch (ChannelClosedException)
            {
                throw _fault ?? new DeviceUnreachableException(PortName, $"serial port {PortName} is closed");
            }
            if (_received.Reader.TryRead(out var next)) { _current = next; _currentOffset = 0; }
        }
        int n = Math.Min(buffer.Length, _current.Length - _currentOffset);
        _current.AsMemory(_currentOffset, n).CopyTo(buffer);
        _currentOffset += n;
        return n;
    }

    /// <inheritdoc/>
    public virtual void DiscardInput()
    {
        _current = [];
        _currentOffset = 0;
        while (_received.Reader.TryRead(out _)) { }
    }

    /// <summary>Stops the pump and releases the port.</summary>
    protected void CompleteQueue() => _received.Writer.TryComplete();

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();
}
