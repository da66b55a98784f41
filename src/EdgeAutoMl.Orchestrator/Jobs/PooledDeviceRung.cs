using System.Collections.Concurrent;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Measurement;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>What the device rung produced for one trial.</summary>
/// <param name="Metrics">The metrics with the device fields filled in.</param>
/// <param name="Trace">Trace excerpt of the kept measurement.</param>
/// <param name="Board">Pool number of the board that measured.</param>
/// <param name="Device">Description of that board.</param>
/// <param name="EnergyCv">Spread of the kept measurement: std/mean of energy over the trigger windows.</param>
/// <param name="Repeats">Extra measurements taken because the spread was above the threshold.</param>
/// <param name="Noisy">The spread stayed above the threshold after every repeat.</param>
/// <param name="BoardsTried">Boards that stopped answering before this measurement succeeded, with why.</param>
/// <param name="BoardSeconds">Time the board spent on this measurement (flash, checks, energy runs, repeats), without queueing.</param>
public sealed record DeviceRungResult(TrialMetrics Metrics, TraceExcerpt Trace, int Board, string Device,
    double EnergyCv, int Repeats, bool Noisy, IReadOnlyList<string> BoardsTried, double BoardSeconds = 0);

/// <summary>The device rung gave up: every attempt found a board that stopped answering.</summary>
public sealed class DeviceRungException(string message) : Exception(message);

/// <summary>
/// The device rung over a <see cref="BoardPool"/>: takes an idle board, measures, gives it back.
/// A board that stops answering is handed to the pool for a restart and the measurement goes to
/// the next idle board (bounded). A noisy energy measurement is repeated (bounded). Two trials
/// with the same packed blob share one measurement while it is in flight.
/// </summary>
public sealed class PooledDeviceRung(BoardPool pool, ConfigEvaluator evaluator, SearchSettings s, Action<string> info,
    Action<int, int>? boardAssigned = null)
{
    private readonly ConcurrentDictionary<string, Task<DeviceRungResult>> _inFlight = new();

    /// <summary>
    /// Measures <paramref name="q"/>, or joins a measurement of the same blob already running.
    /// <c>Shared</c> is true when the result came from another trial's measurement.
    /// </summary>
    public Task<(DeviceRungResult Result, bool Shared)> MeasureAsync(int trial, QuantizedModel q, TrialMetrics m, CancellationToken ct) =>
        MeasureAsync(trial, q, m, null, ct);

    /// <summary>
    /// As <see cref="MeasureAsync(int, QuantizedModel, TrialMetrics, CancellationToken)"/>, with the integer
    /// engine outputs the accuracy rung kept (<paramref name="reference"/>), so they are not computed again.
    /// </summary>
    public async Task<(DeviceRungResult Result, bool Shared)> MeasureAsync(int trial, QuantizedModel q, TrialMetrics m,
        DeviceReference? reference, CancellationToken ct)
    {
        var mine = new TaskCompletionSource<DeviceRungResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _inFlight.GetOrAdd(m.BlobSha256, mine.Task);
        if (running != mine.Task)
        {
            try { return (await running.WaitAsync(ct), true); }
            catch (Exception e) when (e is not OperationCanceledException) { /* the other trial failed: measure ourselves */ }
            return (await MeasureWithRetriesAsync(trial, q, m, reference, ct), false);
        }
        try
        {
            var r = await MeasureWithRetriesAsync(trial, q, m, reference, ct);
            mine.SetResult(r);
            return (r, false);
        }
        catch (Exception e)
        {
            _inFlight.TryRemove(m.BlobSha256, out _);
            mine.SetException(e);
            throw;
        }
    }

    private async Task<DeviceRungResult> MeasureWithRetriesAsync(int trial, QuantizedModel q, TrialMetrics m, DeviceReference? reference, CancellationToken ct)
    {
        var tried = new List<string>();
        for (int attempt = 1; attempt <= s.DeviceAttempts; attempt++)
        {
            var board = await pool.AcquireAsync(ct);
            boardAssigned?.Invoke(trial, board.Number);
            var session = board.Session!;
            using var watch = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watcher = WatchForDeathAsync(session, watch.Token, watch);
            try
            {
                var busy = System.Diagnostics.Stopwatch.StartNew();
                var r = await MeasureWithQualityAsync(q, m, reference, session, watch.Token);
                pool.Release(board);
                return r with { Board = board.Number, Device = session.Description, BoardsTried = tried, BoardSeconds = busy.Elapsed.TotalSeconds };
            }
            catch (RungStopException) { pool.Release(board); throw; }
            catch (DeviceProtocolException e) when (e.Status is not null && !session.RigDead)
            {
                // The firmware answered with a NAK: it is this configuration, not the board.
                pool.Release(board);
                throw;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                string reason = session.RigDead
                    ? $"firmware process exited ({(e is OperationCanceledException ? "seen by the rig watch" : e.GetType().Name + ": " + e.Message)})"
                    : $"{e.GetType().Name}: {e.Message}";
                tried.Add($"board {board.Number}: {reason}");
                pool.MarkDown(board, reason);
                info($"trial {trial}: board {board.Number} stopped answering; device rung re-queued (attempt {attempt}/{s.DeviceAttempts})");
            }
            finally
            {
                watch.Cancel();
                await watcher;
            }
        }
        throw new DeviceRungException($"device rung failed on {s.DeviceAttempts} board attempt(s): {string.Join("; ", tried)}");
    }

    /// <summary>
    /// Cancels <paramref name="cts"/> as soon as the simulator behind the session dies, so a
    /// killed board costs a poll interval instead of the protocol's full retry budget.
    /// </summary>
    private static async Task WatchForDeathAsync(DeviceSession session, CancellationToken token, CancellationTokenSource cts)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (session.RigDead) { cts.Cancel(); return; }
                await Task.Delay(100, token);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// One measurement, repeated (at most <see cref="SearchSettings.EnergyRepeats"/> times) while
    /// the energy spread over the trigger windows is above <see cref="SearchSettings.EnergyMaxCv"/>;
    /// keeps the least spread one.
    /// </summary>
    private async Task<DeviceRungResult> MeasureWithQualityAsync(QuantizedModel q, TrialMetrics m, DeviceReference? reference, DeviceSession session, CancellationToken ct)
    {
        var (best, trace) = await evaluator.DeviceAsync(q, m, session, s.DeviceSamples, s.EnergyRuns, reference, ct);
        double cv = Cv(best);
        int repeats = 0;
        while (cv > s.EnergyMaxCv && repeats < s.EnergyRepeats)
        {
            repeats++;
            var (again, t2) = await evaluator.DeviceAsync(q, m, session, s.DeviceSamples, s.EnergyRuns, reference, ct);
            if (Cv(again) < cv) { best = again; trace = t2; cv = Cv(again); }
        }
        return new DeviceRungResult(best, trace, 0, "", cv, repeats, cv > s.EnergyMaxCv, []);
    }

    /// <summary>Coefficient of variation of the energy per inference (0 when it cannot be computed).</summary>
    public static double Cv(TrialMetrics m) =>
        m.EnergyUj is > 0 && m.EnergyStdUj is { } sd ? sd / m.EnergyUj.Value : 0;
}
