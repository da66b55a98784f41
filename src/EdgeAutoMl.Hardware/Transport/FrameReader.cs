using EdgeAutoMl.Hardware.Framing;

namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// Splits the byte stream of a link at 0x00 delimiters. Over-long runs (a lost delimiter or line
/// noise) are discarded up to the next 0x00, as PROTOCOL.md requires of every receiver.
/// </summary>
public sealed class FrameReader
{
    private readonly ISerialLink _link;
    private readonly byte[] _buffer = new byte[4096];
    private int _start, _end;
    private readonly List<byte> _pending = new(Frame.MaxEncodedFrame + 1);
    private bool _discarding;

    /// <summary>Reads frames from <paramref name="link"/>.</summary>
    public FrameReader(ISerialLink link) => _link = link;

    /// <summary>Count of byte runs dropped because they exceeded the longest possible frame.</summary>
    public int OverlongDiscarded { get; private set; }

    /// <summary>
    /// Returns the next delimited run (COBS bytes, without the 0x00), or null when none completed
    /// within <paramref name="timeout"/>. Empty runs (back-to-back delimiters) are skipped.
    /// </summary>
    public async Task<byte[]?> ReadEncodedFrameAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try { return await ReadEncodedFrameAsync(cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { return null; }
    }

    /// <summary>Returns the next delimited run, waiting until one arrives or the token is cancelled.</summary>
    public async Task<byte[]> ReadEncodedFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            while (_start < _end)
            {
                byte b = _buffer[_start++];
                if (b == 0)
                {
                    bool wasDiscarding = _discarding;
                    _discarding = false;
                    if (wasDiscarding || _pending.Count == 0) { _pending.Clear(); continue; }
                    var run = _pending.ToArray();
                    _pending.Clear();
                    return run;
                }
                if (_discarding) continue;
                _pending.Add(b);
                if (_pending.Count > Frame.MaxEncodedFrame)
                {
                    _pending.Clear();
                    _discarding = true;
                    OverlongDiscarded++;
                }
            }
            // Empty before the wait: a cancelled read (a timeout) must not leave the old bytes to be read again.
            _start = _end = 0;
            _end = await _link.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
        }
    }
}
