using EdgeAutoMl.Search;

namespace EdgeAutoMl.Orchestrator.Objectives;

/// <summary>One optimisation objective: a metric and whether bigger or smaller is better.</summary>
public sealed record Objective(string Metric, StudyDirection Direction)
{
    /// <summary>The default of <c>edgeautoml search</c>: accuracy:max, energy:min, latency:min, flash:min.</summary>
    public static IReadOnlyList<Objective> Defaults => ParseList("accuracy:max,energy:min,latency:min,flash:min");

    /// <summary>Parses "accuracy:max,energy:min" (direction defaults: max for accuracy, min otherwise).</summary>
    public static IReadOnlyList<Objective> ParseList(string text)
    {
        var list = new List<Objective>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':', StringSplitOptions.TrimEntries);
            if (bits.Length > 2) throw new ArgumentException($"objective '{part}': expected METRIC[:max|min]");
            var metric = Objectives.Metric.Resolve(bits[0]);
            var dir = bits.Length == 1
                ? (metric is Objectives.Metric.Accuracy or Objectives.Metric.AccuracyInteger ? StudyDirection.Maximize : StudyDirection.Minimize)
                : bits[1].ToLowerInvariant() switch
                {
                    "max" or "maximize" => StudyDirection.Maximize,
                    "min" or "minimize" => StudyDirection.Minimize,
                    _ => throw new ArgumentException($"objective '{part}': direction must be max or min"),
                };
            if (list.Any(o => o.Metric == metric)) throw new ArgumentException($"objective '{metric}' given twice");
            list.Add(new Objective(metric, dir));
        }
        if (list.Count == 0) throw new ArgumentException("at least one objective is needed");
        return list;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Metric}:{(Direction == StudyDirection.Maximize ? "max" : "min")}";
}
