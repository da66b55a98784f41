using System.Globalization;
using System.Text.Json;
using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Measurement;
using EdgeAutoMl.Orchestrator.Objectives;
using EdgeAutoMl.Orchestrator.Rigs;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>The end of a search: the study and its Pareto front.</summary>
public sealed record SearchResult(string StudyName, string Storage, IReadOnlyList<Objective> Objectives,
    IReadOnlyList<TrialOutcome> Trials, IReadOnlyList<TrialOutcome> ParetoFront);

/// <summary>
/// The search job: the one place that ties Search, Model and Hardware. It asks the study for
/// per-layer bit-widths, walks each configuration up the fidelity ladder, stores every
/// measurement on the trial before the next step, and tells the study the objective values.
/// </summary>
public static class SearchJob
{
    /// <summary>Trial parameter holding a layer's weight bit-width.</summary>
    public static string BitsParam(string layer) => "wbits." + layer;

    /// <summary>Runs (or resumes) a search until the study holds <see cref="SearchSettings.Trials"/> finished trials.</summary>
    public static async Task<SearchResult> RunAsync(SearchSettings s, string repoRoot, ISearchObserver observer, CancellationToken ct)
    {
        var board = BoardCatalog.Resolve(s.Board, repoRoot);
        var bench = ModelWorkbench.Load(s.ModelPath, s.Data);
        var storage = StorageUrl.Open(s.Storage, s.OptunaSchema);
        using var storageLifetime = storage as IDisposable;
        var directions = s.Objectives.Select(o => o.Direction).ToArray();
        var sampler = SamplerFactory.Create(s.Sampler, s.Seed, s.Constraints.Count > 0);
        var name = s.EffectiveStudyName;

        Study study;
        bool exists = storage.GetAllStudyNames().Contains(name);
        if (s.Resume && exists)
        {
            study = Study.Load(storage, name, sampler);
            var retried = study.FailStaleTrials();
            if (retried.Count > 0) observer.Info($"resume: {retried.Count} interrupted trial(s) marked failed and queued again");
        }
        else
        {
            if (exists)
                throw new ArgumentException($"study '{name}' already exists in {s.Storage}: pass --resume to continue it, or --study NEW for a new one");
            study = Study.Create(storage, name, directions, sampler);
            study.SetUserAttr("settings", SettingsJson(s, board));
        }

        var evaluator = new ConfigEvaluator(bench, board);
        var outcomes = new List<TrialOutcome>();
        int finished = CountFinished(study);
        await using var device = await DeviceSession.OpenAsync(board, s.Port, s.Monitor, repoRoot, s.SimFaultRate, ct);
        observer.Started(name, finished, s.Trials, device.Description);

        while (finished < s.Trials)
        {
            ct.ThrowIfCancellationRequested();
            var trial = study.Ask();
            var bits = bench.Layers.ToDictionary(l => l.Name, l => trial.SuggestInt(BitsParam(l.Name), s.MinBits, s.MaxBits));
            var outcome = await RunTrialAsync(study, trial, bits, s, evaluator, device, observer, ct);
            outcomes.Add(outcome);
            observer.TrialFinished(outcome);
            finished++;
        }
        return Summarize(study, s, name);
    }

    private static async Task<TrialOutcome> RunTrialAsync(Study study, Trial trial, Dictionary<string, int> bits,
        SearchSettings s, ConfigEvaluator evaluator, DeviceSession device, ISearchObserver observer, CancellationToken ct)
    {
        TrialMetrics? metrics = null;
        try
        {
            observer.RungStarted(trial.Number, Rung.Static);
            var (q, m) = evaluator.Static(new QuantConfig { WeightBits = bits });
            metrics = m; Store(trial, m);

            observer.RungStarted(trial.Number, Rung.Accuracy);
            metrics = evaluator.Accuracy(q, metrics); Store(trial, metrics);
            StopIfInfeasibleBeforeDevice(s, metrics);

            bool fromCache = false;
            if (FindCached(study, metrics.BlobSha256, device) is { } cached)
            {
                metrics = metrics with
                {
                    EnergyUj = cached.EnergyUj, EnergyStdUj = cached.EnergyStdUj, LatencyMs = cached.LatencyMs,
                    Cycles = cached.Cycles, DeviceMismatches = cached.DeviceMismatches, DeviceSamples = cached.DeviceSamples,
                };
                fromCache = true;
            }
            else
            {
                observer.RungStarted(trial.Number, Rung.Device);
                (metrics, var trace) = await evaluator.DeviceAsync(q, metrics, device, s.DeviceSamples, s.EnergyRuns, ct);
                StoreTrace(trial, trace);
            }
            Store(trial, metrics);
            trial.SetUserAttr("device", device.Description);
            trial.SetUserAttr("device_key", DeviceKey(device));
            if (fromCache) trial.SetUserAttr("device_from_cache", true);

            var values = s.Objectives.Select(o => metrics.Get(o.Metric)
                ?? throw new InvalidOperationException($"objective {o.Metric} was not measured")).ToArray();
            if (s.Constraints.Count > 0) trial.SetConstraints(s.Constraints.Select(c => c.Value(metrics.Get(c.Metric)!.Value)).ToArray());
            study.Tell(trial, values);
            return new TrialOutcome(trial.Number, "COMPLETE", bits, metrics, values, null, fromCache);
        }
        catch (RungStopException stop)
        {
            Store(trial, stop.Metrics);
            trial.SetUserAttr("stopped_at", stop.Rung.ToString().ToLowerInvariant());
            study.Tell(trial, TrialState.Pruned, stop.Message);
            return new TrialOutcome(trial.Number, "PRUNED", bits, stop.Metrics, null, stop.Message, false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A trial that fails keeps its reason; the study goes on with the next one.
            var reason = $"{e.GetType().Name}: {e.Message}";
            study.Tell(trial, TrialState.Fail, reason);
            return new TrialOutcome(trial.Number, "FAIL", bits, metrics, null, reason, false);
        }
    }

    /// <summary>
    /// Accuracy is known before the device rung: a configuration that already violates an
    /// accuracy or size constraint is not worth hardware time (DESIGN principle 3).
    /// </summary>
    private static void StopIfInfeasibleBeforeDevice(SearchSettings s, TrialMetrics m)
    {
        foreach (var c in s.Constraints)
        {
            if (Metric.NeedsDevice(c.Metric)) continue;
            if (m.Get(c.Metric) is { } v && c.Value(v) > 0)
                throw new RungStopException(Rung.Accuracy, $"constraint {c} violated before the device rung ({c.Metric} = {v.ToString("G6", CultureInfo.InvariantCulture)})", m);
        }
    }

    private static string DeviceKey(DeviceSession d) => $"{d.Info.BoardId}|fw{d.Info.FirmwareVersion}";

    /// <summary>A completed trial with the same packed blob on the same board and firmware.</summary>
    private static TrialMetrics? FindCached(Study study, string sha, DeviceSession device)
    {
        var key = DeviceKey(device);
        foreach (var t in study.GetTrials(TrialState.Complete))
        {
            if (t.UserAttrs.TryGetValue("blob_sha256", out var h) && h?.ToString() == sha
                && t.UserAttrs.TryGetValue("device_key", out var k) && k?.ToString() == key
                && t.UserAttrs.TryGetValue(Metric.EnergyUj, out var e) && t.UserAttrs.TryGetValue(Metric.LatencyMs, out var l))
            {
                double D(string n) => Convert.ToDouble(t.UserAttrs[n], CultureInfo.InvariantCulture);
                return new TrialMetrics
                {
                    EnergyUj = D(Metric.EnergyUj), LatencyMs = D(Metric.LatencyMs),
                    EnergyStdUj = t.UserAttrs.ContainsKey("energy_std_uj") ? D("energy_std_uj") : null,
                    Cycles = t.UserAttrs.ContainsKey("cycles") ? D("cycles") : null,
                    DeviceMismatches = t.UserAttrs.ContainsKey(Metric.DeviceMismatches) ? (int)D(Metric.DeviceMismatches) : null,
                    DeviceSamples = t.UserAttrs.ContainsKey("device_samples") ? (int)D("device_samples") : null,
                };
            }
        }
        return null;
    }

    /// <summary>Writes every measured metric as a user attribute, so nothing measured is lost.</summary>
    private static void Store(Trial trial, TrialMetrics m)
    {
        foreach (var (k, v) in m.ToDictionary()) trial.SetUserAttr(k, v);
    }

    /// <summary>Keeps a short trace excerpt on the trial for the report (µA rounded to 0.1).</summary>
    private static void StoreTrace(Trial trial, Rigs.TraceExcerpt t)
    {
        trial.SetUserAttr("trace_rate_hz", t.SampleRateHz);
        trial.SetUserAttr("trace_ua", t.CurrentUa.Select(v => float.IsNaN(v) ? (object?)null : Math.Round(v, 1)).ToList());
        trial.SetUserAttr("trace_trigger", t.Trigger.Select(b => (object?)(long)b).ToList());
    }

    private static int CountFinished(Study study) =>
        study.GetTrials().Count(t => t.State is TrialState.Complete or TrialState.Pruned or TrialState.Fail);

    private static string SettingsJson(SearchSettings s, BoardProfile board) => JsonSerializer.Serialize(new
    {
        model = Path.GetFullPath(s.ModelPath),
        x = s.Data.XPath is { } x ? Path.GetFullPath(x) : null,
        y = s.Data.YPath is { } y ? Path.GetFullPath(y) : null,
        npz = s.Data.NpzPath is { } z ? Path.GetFullPath(z) : null,
        calib = s.Data.CalibPath is { } c ? Path.GetFullPath(c) : null,
        board = board.Id,
        port = s.Port,
        monitor = s.Monitor,
        objectives = s.Objectives.Select(o => o.ToString()),
        constraints = s.Constraints.Select(c => c.ToString()),
        sampler = s.Sampler,
        seed = s.Seed,
        bits = new[] { s.MinBits, s.MaxBits },
    });

    /// <summary>The study's trials and its Pareto front, read back from storage.</summary>
    public static SearchResult Summarize(Study study, SearchSettings s, string name)
    {
        var all = study.GetTrials().Select(t => ToOutcome(t)).ToList();
        var front = study.BestTrials.Select(t => ToOutcome(t)).ToList();
        return new SearchResult(name, s.Storage, s.Objectives, all, front);
    }

    private static TrialOutcome ToOutcome(FrozenTrial t)
    {
        var bits = t.Params.Where(p => p.Key.StartsWith("wbits.", StringComparison.Ordinal))
            .ToDictionary(p => p.Key["wbits.".Length..], p => Convert.ToInt32(p.Value, CultureInfo.InvariantCulture));
        var ua = t.UserAttrs;
        double? D(string k) => ua.TryGetValue(k, out var v) && v is not null ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : null;
        var m = new TrialMetrics
        {
            FlashBytes = (long)(D(Metric.FlashBytes) ?? 0), RamBytes = (long)(D(Metric.RamBytes) ?? 0),
            WeightBytes = (long)(D("weight_bytes") ?? 0),
            Accuracy = D(Metric.Accuracy), AccuracyInteger = D(Metric.AccuracyInteger),
            EnergyUj = D(Metric.EnergyUj), EnergyStdUj = D("energy_std_uj"), LatencyMs = D(Metric.LatencyMs),
            Cycles = D("cycles"), DeviceMismatches = (int?)D(Metric.DeviceMismatches), DeviceSamples = (int?)D("device_samples"),
            BlobSha256 = ua.TryGetValue("blob_sha256", out var h) ? h?.ToString() ?? "" : "",
        };
        t.SystemAttrs.TryGetValue("fail_reason", out var reason);
        return new TrialOutcome(t.Number, t.State.ToString().ToUpperInvariant(), bits, m, t.Values?.ToArray(),
            reason?.ToString(), ua.ContainsKey("device_from_cache"));
    }
}
