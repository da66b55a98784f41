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
        var bench = ModelWorkbench.Load(s.ModelPath, s.Data, s.Calibration);
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
        int finished = CountFinished(study);
        observer = new SerializedObserver(observer);
        var gate = new object(); // storage (SQLite) is written by one trial at a time
        await using var pool = await BoardPool.OpenAsync(BoardSpecs.For(s, board, repoRoot), observer.Info, ct);
        var up = pool.Boards.First(b => b.Session is not null).Session!;
        string deviceKey = DeviceKey(up);
        observer.Started(name, finished, s.Trials,
            pool.Boards.Count == 1 ? up.Description : $"{pool.Boards.Count} boards: " + string.Join("; ", pool.Boards.Select(b => b.ToString())));
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = s.BoardsFile is { } file
            ? BoardsFileWatcher.RunAsync(file, pool, spec => BoardSpecs.Opener(spec, s, board, repoRoot), observer.Info, stopWatching.Token)
            : Task.CompletedTask;

        var rung = new PooledDeviceRung(pool, evaluator, s, observer.Info);
        var modelLane = new SemaphoreSlim(1, 1);
        var ctx = new TrialContext(study, s, evaluator, rung, modelLane, gate, deviceKey, up.Description, observer);
        var inFlight = new List<Task<TrialOutcome>>();
        Exception? poolGone = null;
        try
        {
            while (finished < s.Trials || inFlight.Count > 0)
            {
                // Keep every board busy plus one trial on the model lane, so the static and
                // accuracy rungs of the next trial overlap the boards' measurements.
                int width = Math.Max(1, pool.UpCount) + 1;
                while (poolGone is null && inFlight.Count < width && finished + inFlight.Count < s.Trials)
                {
                    ct.ThrowIfCancellationRequested();
                    Trial trial;
                    QuantConfig bits;
                    lock (gate)
                    {
                        trial = study.Ask();
                        bits = bench.Suggest(trial, s);
                    }
                    inFlight.Add(Task.Run(() => RunTrialAsync(ctx, trial, bits, ct), ct));
                }
                if (inFlight.Count == 0) break;
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                var outcome = await done;
                observer.TrialFinished(outcome);
                finished++;
                if (outcome.Reason?.StartsWith("InvalidOperationException: board pool:", StringComparison.Ordinal) == true)
                    poolGone ??= new InvalidOperationException(outcome.Reason["InvalidOperationException: ".Length..]);
            }
        }
        finally
        {
            stopWatching.Cancel();
            try { await watcher; } catch (OperationCanceledException) { }
            // Trials still running (cancellation) finish their storage writes before the pool closes.
            try { await Task.WhenAll(inFlight); } catch (Exception) { }
        }
        if (poolGone is not null) throw poolGone;
        lock (gate) return Summarize(study, s, name);
    }

    /// <summary>What every trial of one search shares.</summary>
    private sealed record TrialContext(Study Study, SearchSettings S, ConfigEvaluator Evaluator, PooledDeviceRung Rung,
        SemaphoreSlim ModelLane, object Gate, string DeviceKey, string CachedDevice, ISearchObserver Observer);

    private static async Task<TrialOutcome> RunTrialAsync(TrialContext c, Trial trial, QuantConfig bits, CancellationToken ct)
    {
        var (study, s, evaluator, observer, gate) = (c.Study, c.S, c.Evaluator, c.Observer, c.Gate);
        TrialMetrics? metrics = null;
        // Where a trial's time goes (model rungs, device rung, the rest = waiting + orchestration),
        // stored so a bench can tell orchestrator overhead from measurement time.
        var wall = System.Diagnostics.Stopwatch.StartNew();
        double modelSeconds = 0, deviceSeconds = 0;
        try
        {
            QuantizedModel q;
            // The model side runs one trial at a time (the quantizer and ONNX Runtime sessions
            // are not shared across threads), but off the loop, while boards measure.
            await c.ModelLane.WaitAsync(ct);
            var modelClock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                observer.RungStarted(trial.Number, Rung.Static);
                (q, var m) = evaluator.Static(bits);
                metrics = m; lock (gate) Store(trial, m);

                observer.RungStarted(trial.Number, Rung.Accuracy);
                metrics = evaluator.Accuracy(q, metrics); lock (gate) Store(trial, metrics);
            }
            finally { c.ModelLane.Release(); modelSeconds = modelClock.Elapsed.TotalSeconds; }
            StopIfInfeasibleBeforeDevice(s, metrics);

            bool fromCache = false;
            TrialMetrics? cached;
            lock (gate) cached = FindCached(study, metrics.BlobSha256, c.DeviceKey);
            string device;
            if (cached is not null)
            {
                metrics = WithDevice(metrics, cached);
                fromCache = true;
                device = c.CachedDevice;
            }
            else
            {
                observer.RungStarted(trial.Number, Rung.Device);
                var deviceClock = System.Diagnostics.Stopwatch.StartNew();
                var (r, shared) = await c.Rung.MeasureAsync(trial.Number, q, metrics, ct);
                deviceSeconds = deviceClock.Elapsed.TotalSeconds;
                metrics = WithDevice(metrics, r.Metrics);
                fromCache = shared;
                device = r.Device;
                lock (gate)
                {
                    if (!shared) { StoreTrace(trial, r.Trace); trial.SetUserAttr("time_board_s", Math.Round(r.BoardSeconds, 4)); }
                    trial.SetUserAttr("board", r.Board);
                    trial.SetUserAttr("energy_cv", Math.Round(r.EnergyCv, 6));
                    if (r.Repeats > 0) trial.SetUserAttr("energy_repeats", r.Repeats);
                    if (r.Noisy) trial.SetUserAttr("energy_noisy", true);
                    if (r.BoardsTried.Count > 0) trial.SetUserAttr("boards_failed", r.BoardsTried.ToList());
                }
            }
            var values = s.Objectives.Select(o => metrics.Get(o.Metric)
                ?? throw new InvalidOperationException($"objective {o.Metric} was not measured")).ToArray();
            lock (gate)
            {
                Store(trial, metrics);
                trial.SetUserAttr("device", device);
                trial.SetUserAttr("device_key", c.DeviceKey);
                if (fromCache) trial.SetUserAttr("device_from_cache", true);
                StoreTiming(trial, wall, modelSeconds, deviceSeconds);
                if (s.Constraints.Count > 0) trial.SetConstraints(s.Constraints.Select(k => k.Value(metrics.Get(k.Metric)!.Value)).ToArray());
                study.Tell(trial, values);
            }
            return new TrialOutcome(trial.Number, "COMPLETE", bits.WeightBits, metrics, values, null, fromCache);
        }
        catch (RungStopException stop)
        {
            lock (gate)
            {
                Store(trial, stop.Metrics);
                trial.SetUserAttr("stopped_at", stop.Rung.ToString().ToLowerInvariant());
                StoreTiming(trial, wall, modelSeconds, deviceSeconds);
                study.Tell(trial, TrialState.Pruned, stop.Message);
            }
            return new TrialOutcome(trial.Number, "PRUNED", bits.WeightBits, stop.Metrics, null, stop.Message, false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A trial that fails keeps its reason; the study goes on with the next one.
            var reason = $"{e.GetType().Name}: {e.Message}";
            lock (gate) study.Tell(trial, TrialState.Fail, reason);
            return new TrialOutcome(trial.Number, "FAIL", bits.WeightBits, metrics, null, reason, false);
        }
    }

    private static void StoreTiming(Trial trial, System.Diagnostics.Stopwatch wall, double model, double device)
    {
        trial.SetUserAttr("time_model_s", Math.Round(model, 4));
        trial.SetUserAttr("time_device_s", Math.Round(device, 4));
        trial.SetUserAttr("time_trial_s", Math.Round(wall.Elapsed.TotalSeconds, 4));
    }

    /// <summary>The model-side metrics with the device fields of <paramref name="d"/>.</summary>
    private static TrialMetrics WithDevice(TrialMetrics m, TrialMetrics d) => m with
    {
        EnergyUj = d.EnergyUj, EnergyStdUj = d.EnergyStdUj, LatencyMs = d.LatencyMs, Cycles = d.Cycles,
        DeviceMismatches = d.DeviceMismatches, DeviceSamples = d.DeviceSamples, LostSamples = d.LostSamples ?? m.LostSamples,
    };

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
    private static TrialMetrics? FindCached(Study study, string sha, string key)
    {
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
        act_bits = s.ActivationBits,
        calibration = s.Calibration.ToString().ToLowerInvariant(),
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
