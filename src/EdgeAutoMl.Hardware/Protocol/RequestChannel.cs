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
        /// <summary>Set when the current attempt is known lost: a 0xFF NAK, or a later request was answered first.</summary>
        public volatile TaskCompletionSource ResendNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile string LossReason = "";
        public long LastSentTicks;
        /// <summary>Order of the current attempt's write on the link (responses come back in this order).</summary>
        public long WriteOrder = long.MaxValue; // MaxValue while not (re)written: nothing can overtake it
        /// <summary>Response time less any wait behind earlier answers: the device's service time for this request.</summary>
        public long ServiceTicks;
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
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private long _writeCounter;
    private long _lastResponseTicks; // when the last matched response arrived (re-arms the waits of queued requests)

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
        bool counted = false;
        int attempts = Math.Max(1, maxAttempts ?? _options.Retries + 1);
        try
        {
            string lastReason = "";
            for (int attempt = 0; attempt < attempts; attempt++)
            {
                if (attempt > 0) Statistics.AddRetransmission();
                Interlocked.Exchange(ref pending.WriteOrder, long.MaxValue);
                var resend = pending.ResendNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                long sentAt;
                await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    sentAt = Stopwatch.GetTimestamp();
                    Interlocked.Exchange(ref pending.LastSentTicks, sentAt);
                    Interlocked.Exchange(ref pending.WriteOrder, Interlocked.Increment(ref _writeCounter));
                    await _link.WriteAsync(pending.Wire, cancellationToken).ConfigureAwait(false);
                }
                finally { _writeGate.Release(); }
                if (!counted) { counted = true; Statistics.EnterFlight(); }

                var wait = timeout ?? attemptTimeout?.Invoke(attempt) ?? (_options.AdaptiveTimeouts ? timer.Timeout(attempt) : _options.ResponseTimeout);
                Task done;
                while (true)
                {
                    // The wait runs from the send or from the last answer to anything, whichever is later:
                    // with a window in flight a request queues behind the earlier ones (answered in order),
                    // so only silence from the device means loss.
                    long from = Math.Max(sentAt, Interlocked.Read(ref _lastResponseTicks));
                    var remaining = wait - Stopwatch.GetElapsedTime(from);
                    if (remaining <= TimeSpan.Zero) { done = Task.CompletedTask; break; }
                    using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var delay = Task.Delay(remaining, delayCts.Token);
                    done = await Task.WhenAny(pending.Response.Task, resend.Task, _readerFailed.Task, delay).ConfigureAwait(false);
                    delayCts.Cancel();
                    cancellationToken.ThrowIfCancellationRequested();
                    if (done != delay) break;
                }

                if (done == pending.Response.Task || pending.Response.Task.IsCompleted)
                {
                    // Karn's rule: only an answer to the first send is a timing sample.
                    if (attempt == 0)
                    {
                        var service = Stopwatch.GetElapsedTime(0, Interlocked.Read(ref pending.ServiceTicks));
                        if (attemptTimeout is null) timer.Observe(service);
                        firstAttemptRoundTrip?.Invoke(service);
                    }
                    return Accept(pending, pending.Response.Task.Result);
                }
                if (done == _readerFailed.Task) throw _fault!;
                if (done == resend.Task) { lastReason = pending.LossReason; continue; }
                Statistics.AddTimeout();
                lastReason = $"no response within {wait.TotalMilliseconds:0} ms";
            }
            throw new DeviceProtocolException(PortName, command, seq, null, null,
                $"no valid response after {attempts} attempts (last: {lastReason})") { LastFailure = lastReason };
        }
        finally
        {
            if (counted) Statistics.LeaveFlight();
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
                    // is most likely the unanswered one written earliest.
                    var oldest = _pending.Values.Where(p => !p.Response.Task.IsCompleted)
                        .OrderBy(p => Interlocked.Read(ref p.WriteOrder)).FirstOrDefault();
                    if (oldest is not null) MarkLost(oldest, "the device reported a bad frame (0xFF NAK)");
                    continue;
                }
                if (!header.IsResponse || !_pending.TryGetValue(header.Seq, out var pending) || header.Command != (byte)pending.Command)
                {
                    Statistics.AddUnmatched(); // a duplicate answer to a resend, or a stale one
                    continue;
                }
                long now = Stopwatch.GetTimestamp();
                long previous = Interlocked.Exchange(ref _lastResponseTicks, now);
                Interlocked.Exchange(ref pending.ServiceTicks, now - Math.Max(Interlocked.Read(ref pending.LastSentTicks), previous));
                if (pending.Response.TrySetResult(frame))
                {
                    // The device answers in the order it received: an earlier request still
                    // unanswered was lost on the way (or its answer was). Resend it now rather than
                    // after its timeout (TCP's fast retransmit).
                    long order = Interlocked.Read(ref pending.WriteOrder);
                    foreach (var p in _pending.Values)
                        if (!p.Response.Task.IsCompleted && Interlocked.Read(ref p.WriteOrder) < order)
                        {
                            Statistics.AddFastRetransmit();
                            MarkLost(p, "a later request was answered first");
                        }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e)
        {
            _fault = e as DeviceUnreachableException ?? new DeviceUnreachableException(PortName, $"reading from {PortName} failed: {e.Message}", e);
            _readerFailed.TrySetResult();
        }
    }

    private static void MarkLost(Pending p, string reason)
    {
        p.LossReason = reason;
        p.ResendNow.TrySetResult();
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
    private long _retransmissions, _timeouts, _naks, _badFrameNaks, _badFramesReceived, _unmatched, _shrinks, _grows, _fast;
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
    /// <summary>Requests resent at once because a later one was answered first (their frame or answer was lost).</summary>
    public long FastRetransmits => Interlocked.Read(ref _fast);
    internal void AddFastRetransmit() => Interlocked.Increment(ref _fast);
    /// <summary>Most requests written and not yet settled at one time (the window actually used).</summary>
    public long MaxInFlight => Interlocked.Read(ref _maxInFlight);
    private long _inFlight, _maxInFlight;
    internal void EnterFlight()
    {
        long now = Interlocked.Increment(ref _inFlight);
        for (long m; (m = Interlocked.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, m) != m;) { }
    }
    internal void LeaveFlight() => Interlocked.Decrement(ref _inFlight);
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
        $"retransmissions {Retransmissions}, timeouts {Timeouts}, NAKs {Naks}, bad-frame NAKs {BadFrameNaks}, bad frames received {BadFramesReceived}, unmatched {Unmatched}, fast retransmits {FastRetransmits}, chunk shrinks {ChunkShrinks}, grows {ChunkGrows}";
}
