namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// <see cref="ISerialLink"/> over any duplex <see cref="Stream"/> (e.g. one end of an in-process
/// pipe in codec tests). The device side of such a pipe is test code, never the product's wire.
/// </summary>
public sealed class StreamLink : ByteQueueLink
{
    private readonly Stream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Wraps <paramref name="stream"/>; <paramref name="name"/> appears in errors.</summary>
    public StreamLink(Stream stream, string name)
    {
        _stream = stream;
        PortName = name;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc/>
    public override string PortName { get; }

    private async Task PumpAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0) { Fail(new IOException("end of stream")); return; }
                Enqueue(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (OperationCanceledException) { CompleteQueue(); }
        catch (Exception e) { Fail(e); }
    }

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (Fault is not null) throw Fault;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new Protocol.DeviceUnreachableException(PortName, $"cannot write to {PortName}: {e.Message}", e);
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _pump.ConfigureAwait(false); } catch { }
        await _stream.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
