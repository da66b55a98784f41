using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using EdgeAutoMl.Hardware.Framing;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>
/// Sequence numbers, matching responses to requests, and retransmission: one background reader
/// dispatches responses by seq, so several requests can be in flight (the transfer window).
/// </summary>
internal sealed class RequestChannel : IAsyncDisposable
{
    private sealed class Pending(CommandCode command, ushort seq, byte[] wire)
    {
        public CommandCode Command { get; } = command;
        public ushort Seq { get; } = seq;
        public byte[] Wire { get; } = wire;
        public TaskCompletionSource<Frame> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile TaskCompletionSource BadFrameNak = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long LastSentTicks;
    }

    private readonly ISerialLink _link;
    private readonly DeviceClientOptions _options;
    private readonly ConcurrentDictionary<ushort, Pending> _pending = new();
    private readonly ConcurrentDictionary<CommandCode, RetransmitTimer> _timers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _readerLoop;
    private readonly TaskCompletionSource _readerFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _fault;
    private int _nextSeq;

    public RequestChannel(ISerialLink link, DeviceClientOptions options)
    {
        _link = link;
        _options = options;
        // A random start keeps a new session's seqs out of the device's response cache, which
        // may still hold the previous session's seqs (a stale cached answer would be accepted).
        _nextSeq = Random.Shared.Next(0, 0xFFFF);
        _readerLoop = Task.Run(ReadLoopAsync);
    }

    public string PortName => _link.PortName;
    public DeviceClientStatistics Statistics { get; } = new();

    private ushort NextSeq()
    {
        while (true)
        {
            int s = Interlocked.Increment(ref _nextSeq) & 0xFFFF;
            if (s != 0xFFFF) return (ushort)s; // 0xFFFF is the bad-frame NAK's seq
        }
    }

    /// <summary>The learned timeout of <paramref name="command"/> (one estimator per command: a commit is slower than a chunk).</summary>
    public RetransmitTimer TimerOf(CommandCode command) =>
        _timers.GetOrAdd(command, _ => new RetransmitTimer(_options.MinResponseTimeout, _options.ResponseTimeout));

    /// <summary>
    /// Sends one request and returns its ACK payload; throws on NAK, after <paramref name="maxAttempts"/>
    /// attempts (default retries + 1), or when the port is gone. With <paramref name="timeout"/> null
    /// each attempt waits the command's learned timeout (doubling per resend); otherwise exactly that long.
    /// </summary>
    public async Task<byte[]> SendAsync(CommandCode command, byte[] payload, TimeSpan? timeout, CancellationToken cancellationToken,
        int? maxAttempts = null, Func<int, TimeSpan>? attemptTimeout = null, Action<TimeSpan>? firstAttemptRoundTrip = null)
    {
        if (_fault is not null) throw _fault;
        ushort seq = NextSeq();
        var pending = new Pending(command, seq, FrameCodec.Encode(new FrameHeader((byte)command, seq, 0), payload));
        _pending[seq] = pending;
        var timer = TimerOf(command);
        int attempts = Math.Max(1, maxAttempts ?? _options.Retries + 1);
        try
        {
            string lastReason = "";
            for (int attempt = 0; attempt < attempts; attempt++)
            {
                if (attempt > 0) Statistics.AddRetransmission();
                var nak = pending.BadFrameNak = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                long sentAt = Stopwatch.GetTimestamp();
                Interlocked.Exchange(ref pending.LastSentTicks, sentAt);
                await _link.WriteAsync(pending.Wire, cancellationToken).ConfigureAwait(false);

                var wait = timeout ?? attemptTimeout?.Invoke(attempt) ?? (_options.AdaptiveTimeouts ? timer.Timeout(attempt) : _options.ResponseTimeout);
                using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, delayCts.Token);
                var done = await Task.WhenAny(pending.Response.Task, nak.Task, _readerFailed.Task, delay).ConfigureAwait(false);
                delayCts.Cancel();
                cancellationToken.ThrowIfCancellationRequested();

                if (done == pending.Response.Task || pending.Response.Task.IsCompleted)
                {
                    // Karn's rule: only an answer to the first send times the round trip.
                    if (attempt == 0)
                    {
                        var rtt = Stopwatch.GetElapsedTime(sentAt);
                        if (attemptTimeout is null) timer.Observe(rtt);
                        firstAttemptRoundTrip?.Invoke(rtt);
                    }
                    return Accept(pending, pending.Response.Task.Result);
                }
                if (done == _readerFailed.Task) throw _fault!;
                if (done == nak.Task) { lastReason = "the device reported a bad frame (0xFF NAK)"; continue; }
                Statistics.AddTimeout();
                lastReason = $"no response within {wait.TotalMilliseconds:0} ms";
            }
            throw new DeviceProtocolException(PortName, command, seq, null, null,
                $"no valid response after {attempts} attempts (last: {lastReason})") { LastFailure = lastReason };
        }
        finally
        {
            _pending.TryRemove(seq, out _);
        }
    }

    private byte[] Accept(Pending pending, Frame response)
    {
        var status = (DeviceStatus)response.Header.Status;
        if (status == DeviceStatus.Ok) return response.Payload;
        Statistics.AddNak();
        uint? detailCode = null;
        string detail = "";
        if (response.Payload.Length >= 4)
        {
            detailCode = BitConverter.ToUInt32(response.Payload, 0);
            detail = Encoding.ASCII.GetString(response.Payload, 4, response.Payload.Length - 4).TrimEnd('\0');
        }
        throw new DeviceProtocolException(PortName, pending.Command, pending.Seq, status, detailCode, detail);
    }

    private async Task ReadLoopAsync()
    {
        var reader = new FrameReader(_link);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var encoded = await reader.ReadEncodedFrameAsync(_stop.Token).ConfigureAwait(false);
                if (FrameCodec.TryDecode(encoded, out var frame) != FrameDecodeError.None)
                {
                    Statistics.AddBadFrameReceived(); // the host drops bad frames silently; the timeout recovers
                    continue;
                }
                var header = frame!.Header;
                if (header.IsBadFrameNak)
                {
                    Statistics.AddBadFrameNak();
                    // Responses come back in request order, so the frame the device could not read
                    // is most likely the unanswered one sent earliest.
                    var oldest = _pending.Values.Where(p => !p.Response.Task.IsCompleted)
                        .OrderBy(p => Interlocked.Read(ref p.LastSentTicks)).FirstOrDefault();
                    oldest?.BadFrameNak.TrySetResult();
                    continue;
                }
                if (!header.IsResponse || !_pending.TryGetValue(header.Seq, out var pending) || header.Command != (byte)pending.Command)
                {
                    Statistics.AddUnmatched(); // a duplicate answer to a resend, or a stale one
                    continue;
                }
                pending.Response.TrySetResult(frame);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e)
        {
            _fault = e as DeviceUnreachableException ?? new DeviceUnreachableException(PortName, $"reading from {PortName} failed: {e.Message}", e);
            _readerFailed.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _readerLoop.ConfigureAwait(false); } catch { }
        _stop.Dispose();
    }
}

/// <summary>Counters of what the line did during a session (retries, NAKs, bad frames).</summary>
public sealed class DeviceClientStatistics
{
    private long _retransmissions, _timeouts, _naks, _badFrameNaks, _badFramesReceived, _unmatched, _shrinks, _grows;
    /// <summary>Requests sent again: the same seq after a timeout or bad-frame NAK, or a windowed chunk re-sent (possibly split) under a new seq.</summary>
    public long Retransmissions => Interlocked.Read(ref _retransmissions);
    /// <summary>Waits that ended without a response.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);
    /// <summary>Responses with a non-zero status.</summary>
    public long Naks => Interlocked.Read(ref _naks);
    /// <summary>0xFF NAKs: the device received a corrupt frame.</summary>
    public long BadFrameNaks => Interlocked.Read(ref _badFrameNaks);
    /// <summary>Corrupt frames received by the host (dropped).</summary>
    public long BadFramesReceived => Interlocked.Read(ref _badFramesReceived);
    /// <summary>Valid responses that matched no pending request (duplicates after resends).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);
    /// <summary>Times the adaptive chunk size was halved after a lost or damaged chunk.</summary>
    public long ChunkShrinks => Interlocked.Read(ref _shrinks);
    /// <summary>Times the adaptive chunk size grew after a clean acknowledgement.</summary>
    public long ChunkGrows => Interlocked.Read(ref _grows);
    internal void AddShrink() => Interlocked.Increment(ref _shrinks);
    internal void AddGrow() => Interlocked.Increment(ref _grows);
    internal void AddRetransmission() => Interlocked.Increment(ref _retransmissions);
    internal void AddTimeout() => Interlocked.Increment(ref _timeouts);
    internal void AddNak() => Interlocked.Increment(ref _naks);
    internal void AddBadFrameNak() => Interlocked.Increment(ref _badFrameNaks);
    internal void AddBadFrameReceived() => Interlocked.Increment(ref _badFramesReceived);
    internal void AddUnmatched() => Interlocked.Increment(ref _unmatched);
    /// <inheritdoc/>
    public override string ToString() =>
        $"retransmissions {Retransmissions}, timeouts {Timeouts}, NAKs {Naks}, bad-frame NAKs {BadFrameNaks}, bad frames received {BadFramesReceived}, unmatched {Unmatched}, chunk shrinks {ChunkShrinks}, grows {ChunkGrows}";
}
