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
