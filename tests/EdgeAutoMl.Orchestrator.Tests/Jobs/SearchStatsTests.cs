using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Tests.Jobs;

public class SearchStatsTests
{
    private static FrozenTrial T(int n, TrialState state, params (string Key, object? Value)[] attrs) => new()
    {
        Number = n, State = state, UserAttrs = attrs.ToDictionary(a => a.Key, a => a.Value),
    };

    [Fact]
    public void Counts_stops_cache_hits_and_splits_trial_time_leaving_out_copies_and_interrupted_trials()
    {
        (string, object?)[] Time(double trial, double model, double device, double board, double lane) =>
            [("time_trial_s", trial), ("time_model_s", model), ("time_device_s", device), ("time_board_busy_s", board), ("time_lane_wait_s", lane)];
        var trials = new List<FrozenTrial>
        {
            T(0, TrialState.Complete, Time(2.0, 0.5, 1.4, 1.0, 0.0)),
            T(1, TrialState.Complete, [("device_from_cache", true), .. Time(1.0, 0.5, 0.3, 0.0, 0.1)]),
            T(2, TrialState.Pruned, [("stopped_at", "subset"), .. Time(0.5, 0.2, 0, 0, 0.2)]),
            T(3, TrialState.Pruned, [("stopped_at", "static"), .. Time(0.5, 0.1, 0, 0, 0.3)]),
            // Not this study's outcomes: a warm-start copy and a trial failed as interrupted (retried).
            T(4, TrialState.Complete, ("warm_start", "copied from study 'x' trial 0"), ("time_trial_s", 100.0)),
            T(5, TrialState.Fail, ("time_trial_s", 100.0)) with { SystemAttrs = new Dictionary<string, object?> { ["fail_reason"] = "interrupted" } },
            T(6, TrialState.Running),
        };
        var s = SearchStats.From(trials);
        Assert.Equal(4, s.Outcomes);
        Assert.Equal(2, s.StoppedBeforeDevice);
        Assert.Equal(0.5, s.StoppedBeforeDeviceShare);
        Assert.Equal(1, s.StoppedAt["subset"]);
        Assert.Equal(1, s.StoppedAt["static"]);
        Assert.Equal(1, s.DeviceMeasurements);
        Assert.Equal(1, s.DeviceFromCache);
        Assert.Equal(4, s.TimedTrials);
        Assert.Equal(1.0, s.MeanTrialSeconds, 12);
        Assert.Equal(0.325, s.MeanModelSeconds, 12);
        Assert.Equal(0.25, s.MeanBoardSeconds, 12);
        // overhead = trial − model − device − lane wait, per trial: 0.1, 0.1, 0.1, 0.1
        Assert.Equal(0.1, s.MeanOverheadSeconds, 12);
        Assert.Equal(0.1, s.OverheadShare, 12);
        // wait = lane wait + (device − board busy): 0.4, 0.4, 0.2, 0.3 → mean 0.325
        Assert.Equal(0.325, s.MeanWaitSeconds, 12);
    }
}
