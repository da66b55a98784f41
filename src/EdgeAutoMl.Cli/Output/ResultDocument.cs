using EdgeAutoMl.Orchestrator.Jobs;

namespace EdgeAutoMl.Cli.Output;

/// <summary>The <c>--json</c> document of a search: study, counts, every trial and the Pareto front.</summary>
internal static class ResultDocument
{
    public static object From(SearchResult r) => new
    {
        study = r.StudyName,
        storage = r.Storage,
        objectives = r.Objectives.Select(o => o.ToString()),
        counts = new
        {
            complete = r.Trials.Count(t => t.State == "COMPLETE"),
            pruned = r.Trials.Count(t => t.State == "PRUNED"),
            failed = r.Trials.Count(t => t.State == "FAIL"),
            total = r.Trials.Count,
        },
        warm_start = r.WarmStart is { } w ? new { from = w.From, mode = w.Mode, count = w.Count, why = w.Why } : null,
        stats = r.Stats is { } st ? new
        {
            outcomes = st.Outcomes,
            stopped_before_device = st.StoppedBeforeDevice,
            stopped_before_device_share = Math.Round(st.StoppedBeforeDeviceShare, 4),
            stopped_at = st.StoppedAt,
            device_measurements = st.DeviceMeasurements,
            device_from_cache = st.DeviceFromCache,
            timing = new
            {
                trials = st.TimedTrials,
                mean_trial_s = Math.Round(st.MeanTrialSeconds, 4),
                mean_model_s = Math.Round(st.MeanModelSeconds, 4),
                mean_board_s = Math.Round(st.MeanBoardSeconds, 4),
                mean_wait_s = Math.Round(st.MeanWaitSeconds, 4),
                mean_overhead_s = Math.Round(st.MeanOverheadSeconds, 4),
                overhead_share = Math.Round(st.OverheadShare, 4),
            },
        } : null,
        pareto_front = r.ParetoFront.Select(Trial),
        trials = r.Trials.Select(Trial),
    };

    public static object Trial(TrialOutcome t) => new
    {
        number = t.Number,
        state = t.State,
        bits = t.Bits,
        values = t.Values,
        metrics = t.Metrics?.ToDictionary(),
        reason = t.Reason,
    };
}
