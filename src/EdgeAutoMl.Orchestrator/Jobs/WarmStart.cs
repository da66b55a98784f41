using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeAutoMl.Orchestrator.Objectives;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>What a warm start did.</summary>
/// <param name="From">The earlier study.</param>
/// <param name="Mode">"copied" (its measurements carried over) or "enqueued" (its best configurations are measured again).</param>
/// <param name="Count">Trials copied or configurations enqueued.</param>
/// <param name="Why">Why that mode: what matched, or what differs.</param>
public sealed record WarmStartResult(string From, string Mode, int Count, string Why)
{
    /// <summary>One line for the progress log.</summary>
    public override string ToString() => Mode == "copied"
        ? $"warm start: copied {Count} finished trial(s) of study '{From}' without measuring again ({Why})"
        : $"warm start: enqueued {Count} best configuration(s) of study '{From}' to be measured again ({Why})";
}

/// <summary>
/// Seeds a new study from an earlier one on the same model and search space. When the inputs of
/// every measurement match (model, validation and calibration data, calibration method: the
/// <see cref="InputsKey"/>) and a trial was measured on the same board and firmware, its finished
/// trial is copied with its values — no re-measuring, as Optuna's add_trials. Otherwise the earlier
/// study's best configurations (its Pareto front, most accurate first) are enqueued, as Optuna's
/// enqueue_trial, and measured again here.
/// </summary>
public static class WarmStart
{
    /// <summary>User attr marking a trial copied or enqueued from another study.</summary>
    public const string AttrKey = "warm_start";

    /// <summary>
    /// SHA-256 over everything that decides a trial's model-side metrics and packed blob: the
    /// model file, the validation data, the calibration data and the calibration method.
    /// </summary>
    public static string InputsKey(SearchSettings s)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in new[] { s.ModelPath, s.Data.XPath, s.Data.YPath, s.Data.NpzPath, s.Data.CalibPath })
        {
            if (path is null) { h.AppendData("-"u8); continue; }
            using var f = File.OpenRead(path);
            h.AppendData(SHA256.HashData(f));
        }
        h.AppendData(System.Text.Encoding.UTF8.GetBytes(s.Calibration.ToString()));
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>Seeds <paramref name="target"/> from <paramref name="source"/>.</summary>
    /// <param name="target">The new study.</param>
    /// <param name="source">The earlier study.</param>
    /// <param name="s">This search's settings (objectives, constraints, bit range).</param>
    /// <param name="layers">This model's quantizable layers, whose <c>wbits.*</c> params form the search space.</param>
    /// <param name="inputsKey">This search's <see cref="InputsKey"/>.</param>
    /// <param name="deviceKey">Board id and firmware version of this search's boards.</param>
    /// <param name="maxEnqueue">Most configurations to enqueue (the trials this search still runs, so none is left waiting).</param>
    /// <exception cref="ArgumentException">The earlier study searched another space (other layers), naming the difference.</exception>
    public static WarmStartResult Apply(Study target, Study source, SearchSettings s, IReadOnlyList<string> layers, string inputsKey, string deviceKey,
        int maxEnqueue = int.MaxValue)
    {
        var names = layers.Select(SearchJob.BitsParam).ToHashSet();
        var finished = source.GetTrials(TrialState.Complete);
        var foreign = finished.SelectMany(t => t.Params.Keys).Where(k => k.StartsWith("wbits.", StringComparison.Ordinal) && !names.Contains(k)).Distinct().ToList();
        if (foreign.Count > 0 || (finished.Count > 0 && !finished.Any(t => names.All(t.Params.ContainsKey))))
            throw new ArgumentException($"--warm-start '{source.Name}': that study searched other layers ({string.Join(", ", foreign.DefaultIfEmpty("missing " + string.Join(", ", names)))}); warm start needs the same model and search space");

        string? theirKey = SourceInputsKey(source);
        var sameDevice = finished.Where(t => t.UserAttrs.TryGetValue("device_key", out var k) && k?.ToString() == deviceKey).ToList();
        string? why = theirKey is null ? "the earlier study does not record its inputs' hash"
            : theirKey != inputsKey ? "model, data or calibration differ"
            : sameDevice.Count == 0 ? $"no trial measured on {deviceKey}"
            : null;
        if (why is null)
        {
            int copied = 0;
            foreach (var t in sameDevice.Where(t => InRange(t, layers, s)))
            {
                var values = s.Objectives.Select(o => Num(t, o.Metric)).ToArray();
                if (values.Any(v => v is null)) continue;
                var sys = t.SystemAttrs.Where(kv => kv.Key != Search.Constraints.SystemAttrKey).ToDictionary(kv => kv.Key, kv => kv.Value);
                if (s.Constraints.Count > 0)
                {
                    var cons = s.Constraints.Select(k => Num(t, k.Metric) is { } v ? k.Value(v) : double.NaN).ToList();
                    if (cons.Any(double.IsNaN)) continue; // a constraint on a metric that trial never measured
                    sys[Search.Constraints.SystemAttrKey] = cons.Cast<object?>().ToList();
                }
                var user = t.UserAttrs.ToDictionary(kv => kv.Key, kv => kv.Value);
                user[AttrKey] = $"copied from study '{source.Name}' trial {t.Number}";
                target.Storage.CreateNewTrial(target.StudyId, new FrozenTrial
                {
                    State = TrialState.Complete,
                    Values = values.Select(v => v!.Value).ToList(),
                    DatetimeStart = t.DatetimeStart, DatetimeComplete = t.DatetimeComplete,
                    Distributions = t.Distributions.Where(kv => names.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
                    InternalParams = t.InternalParams.Where(kv => names.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value),
                    UserAttrs = user, SystemAttrs = sys, IntermediateValues = t.IntermediateValues,
                });
                copied++;
            }
            return new WarmStartResult(source.Name, "copied", copied, $"same model, data and calibration; board and firmware {deviceKey}");
        }

        int enqueued = 0;
        foreach (var t in source.BestTrials.Where(t => InRange(t, layers, s)).OrderByDescending(t => Num(t, Metric.Accuracy) ?? 0).Take(Math.Min(s.WarmStartTop, maxEnqueue)))
        {
            target.EnqueueTrial(layers.ToDictionary(l => SearchJob.BitsParam(l), l => t.Params[SearchJob.BitsParam(l)]),
                new Dictionary<string, object?> { [AttrKey] = $"enqueued from study '{source.Name}' trial {t.Number}" });
            enqueued++;
        }
        return new WarmStartResult(source.Name, "enqueued", enqueued, why);
    }

    /// <summary>True when every layer's bit-width of <paramref name="t"/> is inside this search's range.</summary>
    private static bool InRange(FrozenTrial t, IReadOnlyList<string> layers, SearchSettings s) =>
        layers.All(l => t.Params.TryGetValue(SearchJob.BitsParam(l), out var v) && v is not null
            && Convert.ToInt32(v, CultureInfo.InvariantCulture) is var b && b >= s.MinBits && b <= s.MaxBits);

    private static string? SourceInputsKey(Study source)
    {
        if (!source.UserAttrs.TryGetValue("settings", out var json) || json is not string text) return null;
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.TryGetProperty("inputs_sha256", out var k) ? k.GetString() : null;
    }

    private static double? Num(FrozenTrial t, string key) =>
        t.UserAttrs.TryGetValue(key, out var v) && v is not null and not string && v is IConvertible
            ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
}
