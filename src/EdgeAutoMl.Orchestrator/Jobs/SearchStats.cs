using System.Globalization;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// Where a study's trials stopped and where their time went, from what each trial stored
/// (stopped_at, device_from_cache, time_* attrs). Trials copied by a warm start and trials failed
/// as interrupted (retried) are not outcomes of this study and are left out.
/// </summary>
public sealed record SearchStats
{
    /// <summary>Trials with an outcome (complete, pruned or failed).</summary>
    public int Outcomes { get; init; }
    /// <summary>Trials stopped (constraint or pruner) before the device rung, by rung name.</summary>
    public IReadOnlyDictionary<string, int> StoppedAt { get; init; } = new Dictionary<string, int>();
    /// <summary>Trials stopped before the device rung.</summary>
    public int StoppedBeforeDevice { get; init; }
    /// <summary><see cref="StoppedBeforeDevice"/> / <see cref="Outcomes"/>.</summary>
    public double StoppedBeforeDeviceShare { get; init; }
    /// <summary>Device rungs that measured on a board.</summary>
    public int DeviceMeasurements { get; init; }
    /// <summary>Device rungs answered by the measurement cache (same blob, board and firmware) or a measurement of the same blob in flight.</summary>
    public int DeviceFromCache { get; init; }
    /// <summary>Trials that stored their timing.</summary>
    public int TimedTrials { get; init; }
    /// <summary>Mean wall time of a trial, s.</summary>
    public double MeanTrialSeconds { get; init; }
    /// <summary>Mean time in the model rungs (quantize, ONNX Runtime, integer engine), s.</summary>
    public double MeanModelSeconds { get; init; }
    /// <summary>Mean time a board worked on the trial (flash, runs, energy), s.</summary>
    public double MeanBoardSeconds { get; init; }
    /// <summary>Mean time waiting: for the model lane, for a free board, or for another trial's measurement of the same blob, s.</summary>
    public double MeanWaitSeconds { get; init; }
    /// <summary>Mean of the rest: storage writes, sampling, scheduling — the orchestrator's own time, s.</summary>
    public double MeanOverheadSeconds { get; init; }
    /// <summary><see cref="MeanOverheadSeconds"/> / <see cref="MeanTrialSeconds"/>.</summary>
    public double OverheadShare { get; init; }

    /// <summary>Computes the figures from the study's stored trials.</summary>
    public static SearchStats From(IReadOnlyList<FrozenTrial> trials)
    {
        var own = trials.Where(StudyBudget.IsOwnOutcome).ToList();
        var stopped = own.Where(t => t.State == TrialState.Pruned && t.UserAttrs.TryGetValue("stopped_at", out var r) && r?.ToString() != "device")
            .GroupBy(t => t.UserAttrs["stopped_at"]!.ToString()!).ToDictionary(g => g.Key, g => g.Count());
        int before = stopped.Values.Sum();
        var complete = own.Where(t => t.State == TrialState.Complete).ToList();
        int cached = complete.Count(t => t.UserAttrs.ContainsKey("device_from_cache"));
        var timed = own.Where(t => D(t, "time_trial_s") is not null).ToList();
        double Mean(Func<FrozenTrial, double> f) => timed.Count == 0 ? 0 : timed.Average(f);
        double trial = Mean(t => D(t, "time_trial_s")!.Value);
        double model = Mean(t => D(t, "time_model_s") ?? 0);
        double device = Mean(t => D(t, "time_device_s") ?? 0);
        double board = Mean(t => D(t, "time_board_busy_s") ?? 0);
        double lane = Mean(t => D(t, "time_lane_wait_s") ?? 0);
        double overhead = trial - model - device - lane;
        return new SearchStats
        {
            Outcomes = own.Count,
            StoppedAt = stopped,
            StoppedBeforeDevice = before,
            StoppedBeforeDeviceShare = own.Count == 0 ? 0 : (double)before / own.Count,
            DeviceMeasurements = complete.Count - cached,
            DeviceFromCache = cached,
            TimedTrials = timed.Count,
            MeanTrialSeconds = trial,
            MeanModelSeconds = model,
            MeanBoardSeconds = board,
            MeanWaitSeconds = lane + device - board,
            MeanOverheadSeconds = overhead,
            OverheadShare = trial > 0 ? overhead / trial : 0,
        };
    }

    /// <summary>A trial copied from another study by a warm start.</summary>
    public static bool IsCopied(FrozenTrial t) =>
        t.UserAttrs.TryGetValue(WarmStart.AttrKey, out var w) && w?.ToString()?.StartsWith("copied", StringComparison.Ordinal) == true;

    private static double? D(FrozenTrial t, string key) =>
        t.UserAttrs.TryGetValue(key, out var v) && v is not null and not string && v is IConvertible
            ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
}
