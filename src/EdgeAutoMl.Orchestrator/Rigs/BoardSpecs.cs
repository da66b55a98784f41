using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Orchestrator.Jobs;

namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>
/// Turns the search settings into the pool's boards: <c>--port sim --boards N</c> gives N
/// simulated rigs; <c>--port A,B</c> gives one real board per port, with <c>--monitor</c> given
/// once for all or once per port (';'-separated, in the same order, since a monitor spec holds commas).
/// </summary>
public static class BoardSpecs
{
    private static int _seed;

    /// <summary>The (spec, opener) pairs for the pool.</summary>
    public static IReadOnlyList<(string Spec, Func<CancellationToken, Task<DeviceSession>> Open)> For(SearchSettings s, BoardProfile board, string repoRoot)
    {
        if (s.BoardCount < 1) throw new ArgumentException($"--boards must be at least 1, got {s.BoardCount}");
        if (s.Port is "sim" or "qemu")
        {
            if (s.Port == "qemu" && s.BoardCount > 1) throw new ArgumentException("--boards > 1 is supported with --port sim or a list of serial ports, not with --port qemu");
            return Enumerable.Range(0, s.BoardCount).Select(_ => (s.Port, Opener(s.Port, s, board, repoRoot))).ToList();
        }
        var ports = s.Port.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var monitors = s.Monitor.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (monitors.Length != 1 && monitors.Length != ports.Length)
            throw new ArgumentException($"--monitor: give one monitor (';'-separated) for all boards or one per port ({ports.Length} ports, {monitors.Length} monitors)");
        if (s.BoardCount > 1 && s.BoardCount != ports.Length)
            throw new ArgumentException($"--boards {s.BoardCount} with real ports: list the ports instead (--port A,B,...); got {ports.Length}");
        if (monitors.Length == 1 && ports.Length > 1 && monitors[0] != "sim")
            throw new ArgumentException($"--monitor '{monitors[0]}' cannot measure {ports.Length} boards at once: give one monitor per port, separated by ';'");
        return ports.Select((p, i) => (p, Opener(p + " " + monitors[monitors.Length == 1 ? 0 : i], s, board, repoRoot))).ToList();
    }

    /// <summary>
    /// An opener for one board line: "sim", "qemu", or "PORT [MONITOR]" (monitor defaults to the
    /// search's --monitor). Each call opens a fresh session, so it also serves restarts.
    /// </summary>
    public static Func<CancellationToken, Task<DeviceSession>> Opener(string line, SearchSettings s, BoardProfile board, string repoRoot)
    {
        var parts = line.Split(' ', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2) throw new ArgumentException($"board line '{line}': expected sim, qemu, or PORT [MONITOR]");
        string port = parts[0];
        string monitor = parts.Length == 2 ? parts[1]
            : port is "sim" or "qemu" ? (s.Monitor == TriggerlessMonitor.SimSpec ? s.Monitor : "sim") : s.Monitor;
        double noise = s.SimNoiseMicroamps ?? board.SimNoiseMicroamps;
        // Each simulated board (and each restart) gets its own noise seed, as two real monitors do not share noise.
        return ct => DeviceSession.OpenAsync(board, port, monitor, repoRoot, s.SimFaultRate, ct, noise, Interlocked.Increment(ref _seed));
    }
}
