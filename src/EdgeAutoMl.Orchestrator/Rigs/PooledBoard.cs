namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>
/// One member of a <see cref="BoardPool"/>: a numbered board, how to (re)open it, and its open
/// session while it is up. The number stays with the bench position; a restarted or replaced
/// board keeps its number and joins the pool again.
/// </summary>
public sealed class PooledBoard
{
    internal PooledBoard(int number, string spec, Func<CancellationToken, Task<DeviceSession>> open)
    {
        Number = number; Spec = spec; Open = open;
    }

    /// <summary>Position in the pool, 1-based, as printed in progress lines ("board 2").</summary>
    public int Number { get; }
    /// <summary>What the user gave for it: "sim" or a serial port path.</summary>
    public string Spec { get; }
    /// <summary>Opens a fresh session (for a simulated board: a new firmware process).</summary>
    internal Func<CancellationToken, Task<DeviceSession>> Open { get; }
    /// <summary>The session while the board is up; null while it is down or restarting.</summary>
    public DeviceSession? Session { get; internal set; }
    /// <summary>Times this board was declared down during the study.</summary>
    public int Failures { get; internal set; }
    /// <summary>Device measurements this board completed.</summary>
    public int Measurements { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => $"board {Number}" + (Session is { } s ? $" ({s.Description})" : $" ({Spec}, down)");
}
