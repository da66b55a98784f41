using System.Threading.Channels;

namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>
/// Several boards measuring for one study: a queue of idle boards that trials take one at a
/// time. A board that stops answering is taken out, its session closed, and re-opened in the
/// background after a pause (a simulated board gets a new firmware process); once it answers
/// IDENTIFY it joins the queue again. New boards can join at any time with <see cref="Join"/>.
/// </summary>
public sealed class BoardPool : IAsyncDisposable
{
    private readonly Channel<PooledBoard> _idle = Channel.CreateUnbounded<PooledBoard>();
    private readonly List<PooledBoard> _boards = [];
    private readonly List<Task> _background = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _info;
    private readonly object _lock = new();
    private int _alive; // boards up or still being restarted; at 0 no trial can be measured any more
    private string? _lastDeath;

    private BoardPool(Action<string> info) { _info = info; }

    /// <summary>Times a board may be re-opened after it stopped answering before it is given up.</summary>
    public int MaxRestarts { get; init; } = 3;
    /// <summary>Pause before re-opening a board that stopped answering (a replugged USB port needs a moment).</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The boards, in join order.</summary>
    public IReadOnlyList<PooledBoard> Boards { get { lock (_lock) return _boards.ToList(); } }

    /// <summary>Boards currently up (idle or measuring).</summary>
    public int UpCount { get { lock (_lock) return _boards.Count(b => b.Session is not null); } }

    /// <summary>
    /// Opens every board concurrently. Boards that fail to open are restarted in the background;
    /// if none opens, the error names every board and why.
    /// </summary>
    public static async Task<BoardPool> OpenAsync(IReadOnlyList<(string Spec, Func<CancellationToken, Task<DeviceSession>> Open)> boards,
        Action<string> info, CancellationToken ct, int maxRestarts = 3)
    {
        if (boards.Count == 0) throw new ArgumentException("board pool: no boards given");
        var pool = new BoardPool(info) { MaxRestarts = maxRestarts };
        var members = boards.Select((b, i) => new PooledBoard(i + 1, b.Spec, b.Open)).ToList();
        lock (pool._lock) { pool._boards.AddRange(members); pool._alive = members.Count; }
        var opened = await Task.WhenAll(members.Select(async m =>
        {
            try { m.Session = await m.Open(ct); return (string?)null; }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested) { return $"board {m.Number} ({m.Spec}): {e.Message}"; }
        }));
        if (opened.All(e => e is not null))
        {
            await pool.DisposeAsync();
            throw new InvalidOperationException("board pool: no board could be opened: " + string.Join("; ", opened));
        }
        for (int i = 0; i < members.Count; i++)
        {
            if (opened[i] is { } error) { info(error); pool.MarkDown(members[i], error); }
            else pool._idle.Writer.TryWrite(members[i]);
        }
        return pool;
    }

    /// <summary>Adds a board while the study runs; it is opened in the background and measures once it answers.</summary>
    public PooledBoard Join(string spec, Func<CancellationToken, Task<DeviceSession>> open)
    {
        PooledBoard b;
        lock (_lock)
        {
            b = new PooledBoard(_boards.Count + 1, spec, open);
            _boards.Add(b);
            _alive++;
        }
        StartBackground(() => OpenUntilUpAsync(b, TimeSpan.Zero));
        return b;
    }

    /// <summary>Waits for an idle board. Throws when every board has been given up.</summary>
    /// <exception cref="InvalidOperationException">No board is up and none is being restarted.</exception>
    public async Task<PooledBoard> AcquireAsync(CancellationToken ct)
    {
        try { return await _idle.Reader.ReadAsync(ct); }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"board pool: every board has stopped answering and was given up after {MaxRestarts} restart(s); last: {_lastDeath}");
        }
    }

    /// <summary>Returns a healthy board to the idle queue.</summary>
    public void Release(PooledBoard board)
    {
        lock (_lock) board.Measurements++;
        _idle.Writer.TryWrite(board);
    }

    /// <summary>
    /// Takes a board that stopped answering out of service: its session is closed and it is
    /// re-opened in the background (at most <see cref="MaxRestarts"/> times over the study).
    /// </summary>
    public void MarkDown(PooledBoard board, string reason)
    {
        DeviceSession? old;
        bool giveUp;
        lock (_lock)
        {
            old = board.Session;
            board.Session = null;
            board.Failures++;
            _lastDeath = $"board {board.Number}: {reason}";
            giveUp = board.Failures > MaxRestarts;
            if (giveUp) _alive--;
        }
        StartBackground(async () =>
        {
            if (old is not null) await CloseQuietlyAsync(old);
            if (giveUp)
            {
                _info($"board {board.Number} given up after {board.Failures} failure(s): {reason}");
                if (Volatile.Read(ref _alive) == 0) _idle.Writer.TryComplete();
                return;
            }
            _info($"board {board.Number} down ({reason}); restarting it");
            await OpenUntilUpAsync(board, RestartDelay);
        });
    }

    private async Task OpenUntilUpAsync(PooledBoard board, TimeSpan delay)
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
                var session = await board.Open(ct);
                lock (_lock) board.Session = session;
                _info($"board {board.Number} joined: {session.Description}");
                _idle.Writer.TryWrite(board);
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                bool giveUp;
                lock (_lock)
                {
                    board.Failures++;
                    _lastDeath = $"board {board.Number}: cannot open: {e.Message}";
                    giveUp = board.Failures > MaxRestarts;
                    if (giveUp) _alive--;
                }
                if (giveUp)
                {
                    _info($"board {board.Number} given up: cannot open {board.Spec}: {e.Message}");
                    if (Volatile.Read(ref _alive) == 0) _idle.Writer.TryComplete();
                    return;
                }
                delay = RestartDelay;
            }
        }
    }

    private void StartBackground(Func<Task> work)
    {
        var t = Task.Run(work);
        lock (_lock) _background.Add(t);
    }

    private static async Task CloseQuietlyAsync(DeviceSession s)
    {
        // A dead board's port may refuse to close cleanly; the session is gone either way.
        try { await s.DisposeAsync(); } catch (Exception) { }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _idle.Writer.TryComplete();
        Task[] background;
        lock (_lock) background = _background.ToArray();
        // Restarts observe the stop token; a close that hangs on a dead port must not hold up the end.
        try { await Task.WhenAll(background).WaitAsync(TimeSpan.FromSeconds(15)); } catch (Exception) { }
        foreach (var b in Boards)
            if (b.Session is { } s) { b.Session = null; await CloseQuietlyAsync(s); }
        _stop.Dispose();
    }
}
