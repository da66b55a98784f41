using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>
/// Host side of wire protocol v1: identify, windowed model transfer, input, run, output, reset.
/// Knows the model blob only as bytes. Safe for one caller at a time per method; the transfer
/// itself keeps several requests in flight.
/// </summary>
public sealed class DeviceClient : IAsyncDisposable
{
    private readonly ISerialLink _link;
    private readonly RequestChannel _channel;
    private readonly bool _ownsLink;
    private readonly object _chunkGate = new();
    private int _chunk;                    // adaptive chunk size; 0 until the first transfer
    private double? _runTicksPerInference; // from the last RUN answered at its first attempt

    /// <summary>Talks over <paramref name="link"/> (owned: disposed with the client when <paramref name="ownsLink"/>).</summary>
    public DeviceClient(ISerialLink link, DeviceClientOptions? options = null, bool ownsLink = true)
    {
        _link = link;
        _ownsLink = ownsLink;
        Options = options ?? new DeviceClientOptions();
        _channel = new RequestChannel(link, Options);
    }

    /// <summary>Opens the serial port <paramref name="portName"/> at <paramref name="baud"/> and returns a client on it.</summary>
    /// <exception cref="DeviceUnreachableException">The port cannot be opened.</exception>
    public static DeviceClient Open(string portName, int baud, DeviceClientOptions? options = null) =>
        new(SerialPortLink.Open(portName, baud), options);

    /// <summary>Timeouts and retries in use.</summary>
    public DeviceClientOptions Options { get; }
    /// <summary>The port, e.g. /dev/ttyACM0.</summary>
    public string PortName => _link.PortName;
    /// <summary>Retries, NAKs and bad frames seen so far.</summary>
    public DeviceClientStatistics Statistics => _channel.Statistics;
    /// <summary>The last IDENTIFY answer, or null before the first.</summary>
    public DeviceInfo? LastIdentify { get; private set; }

    private Task<byte[]> SendAsync(CommandCode command, byte[] payload, CancellationToken ct, TimeSpan? timeout = null) =>
        _channel.SendAsync(command, payload, timeout, ct);

    /// <summary>IDENTIFY: board id, firmware version, capacities and the committed model's CRC and size.</summary>
    public async Task<DeviceInfo> IdentifyAsync(CancellationToken cancellationToken = default)
    {
        var payload = await SendAsync(CommandCode.Identify, [], cancellationToken).ConfigureAwait(false);
        var r = new PayloadReader(payload, $"IDENTIFY response from {PortName}");
        var info = new DeviceInfo(
            r.U16("protocol_version"), r.U16("fw_version"), r.U32("clock_hz"), r.U32("model_capacity"),
            r.U32("arena_capacity"), r.U16("max_chunk"), r.U16("max_window"), r.U32("model_crc"), r.U32("model_size"),
            "");
        int idLen = r.U8("id_len");
        info = info with { BoardId = Encoding.ASCII.GetString(r.Bytes(idLen, "board id")) };
        if (info.MaxChunk == 0 || info.MaxWindow == 0)
            throw new InvalidDataException($"IDENTIFY response from {PortName}: max_chunk {info.MaxChunk} and max_window {info.MaxWindow} must be ≥ 1");
        LastIdentify = info;
        return info;
    }

    /// <summary>RESET: the device acknowledges, then resets; a committed model stays.</summary>
    public Task ResetAsync(CancellationToken cancellationToken = default) =>
        SendAsync(CommandCode.Reset, [], cancellationToken);

    /// <summary>MODEL_BEGIN: declares the size and whole-blob CRC-32 of the next model; invalidates the current one.</summary>
    public Task BeginModelAsync(uint size, uint crc32, CancellationToken cancellationToken = default)
    {
        var p = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(p, size);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), crc32);
        return SendAsync(CommandCode.ModelBegin, p, cancellationToken);
    }

    /// <summary>MODEL_CHUNK: writes <paramref name="data"/> (1..max_chunk bytes) at <paramref name="offset"/>.</summary>
    public Task WriteModelChunkAsync(uint offset, ReadOnlySpan<byte> data, CancellationToken cancellationToken = default) =>
        SendAsync(CommandCode.ModelChunk, WithOffset(offset, data), cancellationToken);

    /// <summary>MODEL_COMMIT: the device checks the CRC and validates the blob (NAK MODEL_CRC / MODEL_INVALID otherwise).</summary>
    public async Task<ModelCommitInfo> CommitModelAsync(CancellationToken cancellationToken = default)
    {
        var payload = await SendAsync(CommandCode.ModelCommit, [], cancellationToken).ConfigureAwait(false);
        var r = new PayloadReader(payload, $"MODEL_COMMIT response from {PortName}");
        return new ModelCommitInfo(r.U32("arena_bytes"), r.U16("n_ops"), r.U32("input_bytes"), r.U32("output_bytes"));
    }

    /// <summary>
    /// Loads <paramref name="blob"/>: skipped when the device already holds a model with the same
    /// CRC and size; otherwise MODEL_BEGIN, chunks with up to max_window in flight, MODEL_COMMIT.
    /// A MODEL_CRC at commit restarts the transfer (up to <see cref="DeviceClientOptions.TransferAttempts"/>).
    /// </summary>
    /// <param name="blob">The packed model.</param>
    /// <param name="progress">Fraction of the blob acknowledged, 0..1.</param>
    /// <param name="cancellationToken">Cancels the transfer.</param>
    public async Task<ModelLoadResult> LoadModelAsync(byte[] blob, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (blob.Length == 0) throw new ArgumentException("model blob is empty", nameof(blob));
        var started = Stopwatch.StartNew();
        var info = await IdentifyAsync(cancellationToken).ConfigureAwait(false);
        uint crc = Crc32.HashToUInt32(blob);
        if (info.ModelCrc == crc && info.ModelSize == (uint)blob.Length)
        {
            progress?.Report(1.0);
            return new ModelLoadResult(true, null, 0, started.Elapsed);
        }
        if ((uint)blob.Length > info.ModelCapacity)
            throw new DeviceProtocolException(PortName, CommandCode.ModelBegin, 0, DeviceStatus.TooLarge, null,
                $"model of {blob.Length} bytes exceeds the device's model capacity of {info.ModelCapacity} bytes (board {info.BoardId}); not sent");

        long sent = 0;
        for (int attempt = 1; ; attempt++)
        {
            await BeginModelAsync((uint)blob.Length, crc, cancellationToken).ConfigureAwait(false);
            sent += await SendWindowedAsync(CommandCode.ModelChunk, blob, info, progress, cancellationToken).ConfigureAwait(false);
            try
            {
                var commit = await CommitModelAsync(cancellationToken).ConfigureAwait(false);
                return new ModelLoadResult(false, commit, sent, started.Elapsed);
            }
            catch (DeviceProtocolException e) when (e.Status == DeviceStatus.ModelCrc && attempt < Options.TransferAttempts)
            {
                // The device holds bytes that differ from what we sent; send everything again.
            }
        }
    }

    /// <summary>SET_INPUT: writes the input tensor's raw bytes (int8, or int16 LE), windowed like a model.</summary>
    public async Task SetInputAsync(byte[] input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Length == 0) throw new ArgumentException("input is empty", nameof(input));
        var info = LastIdentify ?? await IdentifyAsync(cancellationToken).ConfigureAwait(false);
        await SendWindowedAsync(CommandCode.SetInput, input, info, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RUN: executes the model <paramref name="n"/> times on the current input.</summary>
    /// <param name="n">1..100000 inferences.</param>
    /// <param name="trigger">Drive the trigger pin high during each inference (for the power monitor).</param>
    /// <param name="timeout">Wait per attempt. Default: <see cref="DeviceClientOptions.RunTimeout"/> until a RUN
    /// has been timed, then (with <see cref="DeviceClientOptions.AdaptiveTimeouts"/>) twice the expected duration
    /// (the last run's time per inference × n) plus the learned round trip, doubled per resend, at most RunTimeout.</param>
    /// <param name="cancellationToken">Cancels the wait (the device finishes the run regardless).</param>
    public async Task<RunResult> RunAsync(int n, bool trigger, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (n is < 1 or > 100_000) throw new ArgumentOutOfRangeException(nameof(n), n, "RUN count must be within 1..100000");
        var p = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(p, (uint)n);
        p[4] = (byte)(trigger ? 1 : 0);
        Func<int, TimeSpan>? learned = null;
        if (timeout is null && Options.AdaptiveTimeouts && _runTicksPerInference is { } perInference)
        {
            double expectedMs = TimeSpan.FromTicks((long)Math.Min(perInference * n, TimeSpan.MaxValue.Ticks / 4)).TotalMilliseconds;
            double rttMs = (_channel.TimerOf(CommandCode.Identify).Smoothed ?? Options.MinResponseTimeout).TotalMilliseconds;
            double baseMs = Math.Max(Options.MinResponseTimeout.TotalMilliseconds, 2 * expectedMs + 4 * rttMs);
            learned = attempt => TimeSpan.FromMilliseconds(Math.Min(Options.RunTimeout.TotalMilliseconds, baseMs * Math.Pow(2, Math.Min(attempt, 16))));
        }
        var payload = await _channel.SendAsync(CommandCode.Run, p, timeout ?? (learned is null ? Options.RunTimeout : null), cancellationToken,
            attemptTimeout: learned, firstAttemptRoundTrip: rtt => _runTicksPerInference = (double)rtt.Ticks / n).ConfigureAwait(false);
        var r = new PayloadReader(payload, $"RUN response from {PortName}");
        return new RunResult(r.U32("n"), r.U64("cycles_total"), r.U32("cycles_min"), r.U32("cycles_max"));
    }

    /// <summary>The chunk size in use now (adapted to the line when <see cref="DeviceClientOptions.AdaptiveChunks"/>), or null before IDENTIFY.</summary>
    public int? CurrentChunkBytes { get { lock (_chunkGate) return _chunk > 0 ? _chunk : null; } }

    /// <summary>READ_OUTPUT: reads <paramref name="length"/> bytes of the output tensor, in max_chunk pieces.</summary>
    public async Task<byte[]> ReadOutputAsync(int length, CancellationToken cancellationToken = default)
    {
        if (length <= 0) throw new ArgumentOutOfRangeException(nameof(length), length, "output length must be positive");
        var info = LastIdentify ?? await IdentifyAsync(cancellationToken).ConfigureAwait(false);
        var output = new byte[length];
        for (int offset = 0, len; offset < length; offset += len)
        {
            len = Math.Min(CurrentChunk(info), length - offset);
            var p = new byte[6];
            BinaryPrimitives.WriteUInt32LittleEndian(p, (uint)offset);
            BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(4), (ushort)len);
            var data = await SendAsync(CommandCode.ReadOutput, p, cancellationToken).ConfigureAwait(false);
            if (data.Length != len)
                throw new InvalidDataException($"READ_OUTPUT on {PortName}: asked for {len} bytes at offset {offset}, got {data.Length}");
            data.CopyTo(output, offset);
        }
        return output;
    }

    private int MaxChunk(DeviceInfo info) =>
        Math.Max(1, Math.Min(Math.Min(info.MaxChunk, Options.MaxChunkBytes ?? int.MaxValue), Framing.Frame.MaxPayload - 4));

    private int MinChunk(DeviceInfo info) => Math.Clamp(Options.MinChunkBytes, 1, MaxChunk(info));

    /// <summary>The adaptive chunk size, started at InitialChunkBytes (or the maximum) on first use.</summary>
    private int CurrentChunk(DeviceInfo info)
    {
        int max = MaxChunk(info);
        if (!Options.AdaptiveChunks) return max;
        lock (_chunkGate)
        {
            if (_chunk <= 0) _chunk = Math.Clamp(Options.InitialChunkBytes ?? max, MinChunk(info), max);
            return _chunk = Math.Clamp(_chunk, MinChunk(info), max);
        }
    }

    /// <summary>Multiplicative decrease: a lost piece of <paramref name="failedLength"/> bytes halves the chunk (once per size).</summary>
    private void Shrink(DeviceInfo info, int failedLength)
    {
        lock (_chunkGate)
        {
            int next = Math.Max(MinChunk(info), failedLength / 2);
            if (next < _chunk) { _chunk = next; Statistics.AddShrink(); }
        }
    }

    /// <summary>Additive increase after a clean acknowledgement of a full-size piece.</summary>
    private void Grow(DeviceInfo info, int ackedLength)
    {
        lock (_chunkGate)
        {
            if (ackedLength < _chunk || _chunk >= MaxChunk(info)) return;
            _chunk = Math.Min(MaxChunk(info), _chunk + MinChunk(info));
            Statistics.AddGrow();
        }
    }

    /// <summary>A byte range still to be sent; <c>Failures</c> counts lost attempts at this size.</summary>
    private sealed record Piece(int Offset, int Length, int Failures);

    /// <summary>
    /// Sends <paramref name="data"/> as offset-carrying chunks with up to max_window in flight.
    /// Adaptive: each chunk is one attempt; a lost or damaged one (timeout, 0xFF NAK) shrinks the
    /// chunk size and goes back to the queue, re-split to the new size under a new seq (a chunk
    /// written twice is harmless: it carries its offset). A range fails after
    /// <see cref="DeviceClientOptions.Retries"/> + 1 lost attempts at one size; since sizes only
    /// shrink along a range's retries (down to MinChunkBytes), the total is bounded.
    /// </summary>
    private async Task<long> SendWindowedAsync(CommandCode command, byte[] data, DeviceInfo info, IProgress<double>? progress, CancellationToken ct)
    {
        int window = Math.Max(1, Math.Min(info.MaxWindow, Options.MaxWindow ?? int.MaxValue));
        bool adaptive = Options.AdaptiveChunks;
        using var slots = new SemaphoreSlim(window, window);
        using var progressed = new SemaphoreSlim(0);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var gate = new object();
        var requeued = new LinkedList<Piece>();
        var inFlight = new List<Task>();
        int next = 0, outstanding = 0;
        long acknowledged = 0;
        var timer = _channel.TimerOf(command);
        while (!failed.IsCancellationRequested)
        {
            try { await slots.WaitAsync(failed.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { break; }
            Piece? piece = null;
            bool finished = false;
            lock (gate)
            {
                int chunk = CurrentChunk(info);
                if (requeued.First is { Value: var head })
                {
                    requeued.RemoveFirst();
                    if (head.Length > chunk)
                    {
                        // Split to the shrunk size: the smaller pieces are new requests, so their count restarts.
                        piece = new Piece(head.Offset, chunk, 0);
                        requeued.AddFirst(new Piece(head.Offset + chunk, head.Length - chunk, 0));
                    }
                    else piece = head;
                }
                else if (next < data.Length)
                {
                    piece = new Piece(next, Math.Min(chunk, data.Length - next), 0);
                    next += piece.Length;
                }
                else finished = outstanding == 0;
                if (piece is not null) outstanding++;
            }
            if (piece is null)
            {
                slots.Release();
                if (finished) break;
                // Everything is sent but some pieces are in flight: wait for one to settle (it may come back).
                try { await progressed.WaitAsync(failed.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { break; }
                continue;
            }
            inFlight.Add(SendPieceAsync(piece));
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false); // rethrows the first failure
        ct.ThrowIfCancellationRequested();
        return acknowledged;

        async Task SendPieceAsync(Piece piece)
        {
            try
            {
                var payload = WithOffset((uint)piece.Offset, data.AsSpan(piece.Offset, piece.Length));
                if (!adaptive)
                {
                    await _channel.SendAsync(command, payload, null, failed.Token).ConfigureAwait(false);
                }
                else
                {
                    try
                    {
                        await _channel.SendAsync(command, payload, Options.AdaptiveTimeouts ? timer.Timeout(piece.Failures) : Options.ResponseTimeout,
                            failed.Token, maxAttempts: 1).ConfigureAwait(false);
                    }
                    catch (DeviceProtocolException e) when (e.Status is null && !failed.IsCancellationRequested)
                    {
                        // Lost or damaged (no answer, or the device saw a bad frame): smaller pieces, then again.
                        Statistics.AddRetransmission();
                        Shrink(info, piece.Length);
                        int failures = piece.Failures + 1;
                        if (failures > Options.Retries)
                            throw new DeviceProtocolException(PortName, command, e.Seq, null, null,
                                $"bytes {piece.Offset}..{piece.Offset + piece.Length} of {data.Length}: no valid response after {failures} attempts " +
                                $"at {piece.Length}-byte chunks (last: {e.LastFailure ?? e.Detail})");
                        lock (gate) { requeued.AddFirst(piece with { Failures = failures }); outstanding--; }
                        return;
                    }
                    if (piece.Failures == 0) Grow(info, piece.Length);
                }
                lock (gate) outstanding--;
                long done = Interlocked.Add(ref acknowledged, piece.Length);
                progress?.Report((double)done / data.Length);
            }
            catch
            {
                failed.Cancel(); // stop queueing more chunks behind a failure
                throw;
            }
            finally
            {
                slots.Release();
                progressed.Release();
            }
        }
    }

    private static byte[] WithOffset(uint offset, ReadOnlySpan<byte> data)
    {
        var p = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(p, offset);
        data.CopyTo(p.AsSpan(4));
        return p;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync().ConfigureAwait(false);
        if (_ownsLink) await _link.DisposeAsync().ConfigureAwait(false);
    }
}
