using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Json;
using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Storage.Tests.Interop;

/// <summary>
/// Writes studies in exactly the JSON layout optuna_interop.py prints (Python json.dumps, sort_keys=True), so the
/// two sides can be compared as strings. The best trials follow Optuna 3.1's rules (no constraint filter) so that the
/// comparison checks our Pareto code against Optuna's.
/// </summary>
internal static class StudyJson
{
    public static string Describe(IStorage storage, params string[] names)
    {
        var root = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (string name in names) root[name] = DescribeOne(Study.Load(storage, name));
        return PyJsonWriter.Write(root);
    }

    private static SortedDictionary<string, object?> DescribeOne(Study study)
    {
        var trials = study.Trials.Select(t => (object?)Sorted(new Dictionary<string, object?>
        {
            ["number"] = t.Number,
            ["state"] = t.State.ToOptunaName(),
            ["params"] = Sorted(t.Params),
            ["distributions"] = Sorted(t.Distributions.ToDictionary(kv => kv.Key, kv => (object?)kv.Value.ToJson())),
            ["values"] = t.Values?.ToList(),
            ["user_attrs"] = Sorted(t.UserAttrs),
            ["intermediate_values"] = Sorted(t.IntermediateValues.ToDictionary(kv => kv.Key.ToString(), kv => (object?)kv.Value)),
            ["constraints"] = t.SystemAttrs.GetValueOrDefault(Constraints.SystemAttrKey),
        })).ToList();
        var complete = study.GetTrials(TrialState.Complete);
        List<object?> best = study.IsMultiObjective
            ? Pareto.FrontTrials(complete, study.Directions).Select(t => (object?)t.Number).Order().ToList()
            : complete.Count == 0 ? [] : [complete.MinBy(t => study.Direction.ToLoss(t.Value))!.Number];
        return Sorted(new Dictionary<string, object?>
        {
            ["directions"] = study.Directions.Select(d => (object?)d.ToOptunaName()).ToList(),
            ["user_attrs"] = Sorted(study.UserAttrs),
            ["trials"] = trials,
            ["best"] = best,
        });
    }

    // Python's sort_keys: recursively, by code point.
    private static SortedDictionary<string, object?> Sorted(IEnumerable<KeyValuePair<string, object?>> d)
    {
        var s = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in d) s[k] = v is IEnumerable<KeyValuePair<string, object?>> inner ? Sorted(inner) : v;
        return s;
    }
}
