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
    IReadOnlyList<TrialOutcome> Trials, IReadOnlyList<TrialOutcome> ParetoFront)
{
    /// <summary>Where trials stopped and where their time went.</summary>
    public SearchStats? Stats { get; init; }
    /// <summary>What <c>--warm-start</c> did in this run, if it ran.</summary>
    public WarmStartResult? WarmStart { get; init; }
}

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
        string samplerName = s.Sampler.Split(':')[0].Trim().ToLowerInvariant();
        // Fail before boards are opened, not at the first ask.
        if (samplerName == "gp" && directions.Length > 1)
            throw new ArgumentException($"--sampler gp supports one objective, --objectives has {directions.Length}: use tpe (motpe) or nsga2, or a single objective");
        if (samplerName == "grid" && s.ActivationBits == "search")
            throw new ArgumentException("--sampler grid covers the weight bit-widths only: use --act-bits 8 or 16 with it");
        var sampler = SamplerFactory.Create(s.Sampler, s.Seed, s.Constraints.Count > 0,
            samplerName == "grid" ? SamplerFactory.BitWidthGrid(bench.Layers.Select(l => l.Name), s.MinBits, s.MaxBits) : null);
        var name = s.EffectiveStudyName;

        string inputsKey = WarmStart.InputsKey(s);
        Study study;
        bool exists = storage.GetAllStudyNames().Contains(name);
        if (s.Join)
        {
            // A worker: the study and its settings come from the process that created it (StudySettings).
            study = Study.Load(storage, name, sampler);
        }
        else if (s.Resume && exists)
        {
            study = Study.Load(storage, name, sampler);
            var retried = study.FailStaleTrials();
            if (retried.Count > 0) observer.Info($"resume: {retried.Count} interrupted trial(s) marked failed and queued again");
            int requeued = RequeueOrphans(study);
            if (requeued > 0) observer.Info($"resume: {requeued} interrupted trial(s) whose retry was never queued (killed in between) queued again");
        }
        else
        {
            if (exists)
                throw new ArgumentException($"study '{name}' already exists in {s.Storage}: pass --resume to continue it, or --study NEW for a new one");
            study = Study.Create(storage, name, directions, sampler);
            study.SetUserAttr("settings", SettingsJson(s, board, inputsKey));
            StudySettings.Store(study, s);
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
        WarmStartResult? warm = null;
        if (s.WarmStart is { } from && !study.UserAttrs.ContainsKey(WarmStart.AttrKey))
        {
            warm = ApplyWarmStart(study, storage, s, from, bench.Layers.Select(l => l.Name).ToList(), inputsKey, deviceKey, Math.Max(0, s.Trials - finished));
            observer.Info(warm.ToString());
            finished = CountFinished(study);
        }
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var watcher = s.BoardsFile is { } file
            ? BoardsFileWatcher.RunAsync(file, pool, spec => BoardSpecs.Opener(spec, s, board, repoRoot), observer.Info, stopWatching.Token)
            : Task.CompletedTask;

        var rung = new PooledDeviceRung(pool, evaluator, s, observer.Info, observer.BoardAssigned);
        var modelLane = new SemaphoreSlim(1, 1);
        RungPruning pruning;
        lock (gate) pruning = new RungPruning(PrunerFactory.Create(s.Pruner), name, study.GetTrials());
        var ctx = new TrialContext(study, s, evaluator, rung, modelLane, gate, deviceKey, up.Description, observer, pruning,
            evaluator.ClassCounts(), evaluator.ClassCounts(s.SubsetSamples), bench.Validation.Count);
        var inFlight = new List<Task<TrialOutcome>>();
        Exception? poolGone = null;
        try
        {
            while (true)
            {
                // Keep every board busy plus one trial on the model lane, so the static and
                // accuracy rungs of the next trial overlap the boards' measurements.
                int width = Math.Max(1, pool.UpCount) + 1;
                while (poolGone is null && inFlight.Count < width)
                {
                    ct.ThrowIfCancellationRequested();
                    Trial? trial;
                    QuantConfig bits;
                    lock (gate)
                    {
                        // The budget is the study's, shared with workers in other processes.
                        trial = StudyBudget.TryAsk(study, s.Trials);
                        if (trial is null) break;
                        bits = bench.Suggest(trial, s);
                    }
                    inFlight.Add(Task.Run(() => RunTrialAsync(ctx, trial, bits, ct), ct));
                }
                if (inFlight.Count == 0) break;
                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                var outcome = await done;
                observer.TrialFinished(outcome);
                if (outcome.State == "COMPLETE")
                {
                    IReadOnlyList<TrialOutcome> front;
                    lock (gate) front = study.BestTrials.Select(t => ToOutcome(t)).ToList();
                    observer.FrontChanged(front);
                }
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
        lock (gate) return Summarize(study, s, name) with { WarmStart = warm };
    }

    private static WarmStartResult ApplyWarmStart(Study study, EdgeAutoMl.Search.IStorage storage, SearchSettings s, string from,
        IReadOnlyList<string> layers, string inputsKey, string deviceKey, int maxEnqueue)
    {
        var sourceStorage = s.WarmStartStorage is { } url && url != s.Storage ? StorageUrl.Open(url) : storage;
        try
        {
            if (ReferenceEquals(sourceStorage, storage) && from == study.Name)
                throw new ArgumentException($"--warm-start '{from}' is this study itself");
            if (!sourceStorage.GetAllStudyNames().Contains(from))
                throw new ArgumentException($"--warm-start '{from}': no such study in {s.WarmStartStorage ?? s.Storage}");
            var source = Study.Load(sourceStorage, from);
            var r = WarmStart.Apply(study, source, s, layers, inputsKey, deviceKey, maxEnqueue);
            study.SetUserAttr(WarmStart.AttrKey, new Dictionary<string, object?> { ["from"] = from, ["mode"] = r.Mode, ["count"] = (long)r.Count, ["why"] = r.Why });
            return r;
        }
        finally
        {
            if (!ReferenceEquals(sourceStorage, storage)) (sourceStorage as IDisposable)?.Dispose();
        }
    }

    /// <summary>What every trial of one search shares.</summary>
    private sealed record TrialContext(Study Study, SearchSettings S, ConfigEvaluator Evaluator, PooledDeviceRung Rung,
        SemaphoreSlim ModelLane, object Gate, string DeviceKey, string CachedDevice, ISearchObserver Observer,
        RungPruning Pruning, int[] ClassCounts, int[] SubsetClassCounts, int ValidationCount);

    private static async Task<TrialOutcome> RunTrialAsync(TrialContext c, Trial trial, QuantConfig bits, CancellationToken ct)
    {
        var (study, s, evaluator, observer, gate) = (c.Study, c.S, c.Evaluator, c.Observer, c.Gate);
        TrialMetrics? metrics = null;
        // Where a trial's time goes (model rungs, device rung, the rest = waiting + orchestration),
        // stored so a bench can tell orchestrator overhead from measurement time.
        var wall = System.Diagnostics.Stopwatch.StartNew();
        double modelSeconds = 0, deviceSeconds = 0, laneWaitSeconds = 0, boardSeconds = 0;
        try
        {
            QuantizedModel q;
            DeviceReference? reference;
            // The model side runs one trial at a time (the quantizer and ONNX Runtime sessions
            // are not shared across threads), but off the loop, while boards measure.
            var laneClock = System.Diagnostics.Stopwatch.StartNew();
            await c.ModelLane.WaitAsync(ct);
            laneWaitSeconds = laneClock.Elapsed.TotalSeconds;
            var modelClock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                observer.RungStarted(trial.Number, Rung.Static);
                (q, var m) = evaluator.Static(bits);
                metrics = m; lock (gate) Store(trial, m);
                StopIfViolated(Rung.Static, s, metrics, c);

                if (s.SubsetSamples > 0 && s.SubsetSamples < c.ValidationCount)
                {
                    observer.RungStarted(trial.Number, Rung.Subset);
                    metrics = evaluator.SubsetAccuracy(q, metrics, s.SubsetSamples); lock (gate) Store(trial, metrics);
                    StopIfViolated(Rung.Subset, s, metrics, c);
                    AskPruner(c, trial, Rung.Subset, RungPruning.SubsetStep, metrics.SubsetAccuracy!.Value, metrics);
                }

                observer.RungStarted(trial.Number, Rung.Accuracy);
                (metrics, reference) = evaluator.AccuracyKeeping(q, metrics, s.DeviceSamples ?? c.ValidationCount);
                lock (gate) Store(trial, metrics);
                StopIfViolated(Rung.Accuracy, s, metrics, c);
                AskPruner(c, trial, Rung.Accuracy, RungPruning.FullStep, metrics.Accuracy!.Value, metrics);
            }
            finally { c.ModelLane.Release(); modelSeconds = modelClock.Elapsed.TotalSeconds; }

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
                var (r, shared) = await c.Rung.MeasureAsync(trial.Number, q, metrics, reference, ct);
                deviceSeconds = deviceClock.Elapsed.TotalSeconds;
                boardSeconds = shared ? 0 : r.BoardSeconds;
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
                StoreTiming(trial, wall, modelSeconds, deviceSeconds, laneWaitSeconds, boardSeconds);
                if (s.Constraints.Count > 0) trial.SetConstraints(s.Constraints.Select(k => k.Value(metrics.Get(k.Metric)!.Value)).ToArray());
                if (!study.TryTell(trial, values, out _)) return TakenOver(trial, bits.WeightBits, metrics);
                c.Pruning.Finished(trial.Number, TrialState.Complete, metrics.Accuracy);
            }
            return new TrialOutcome(trial.Number, "COMPLETE", bits.WeightBits, metrics, values, null, fromCache);
        }
        catch (RungStopException stop)
        {
            lock (gate)
            {
                Store(trial, stop.Metrics);
                trial.SetUserAttr("stopped_at", stop.Rung.ToString().ToLowerInvariant());
                trial.SetUserAttr("stopped_by", stop.By);
                StoreTiming(trial, wall, modelSeconds, deviceSeconds, laneWaitSeconds, boardSeconds);
                if (!study.TryTell(trial, TrialState.Pruned, stop.Message, out _)) return TakenOver(trial, bits.WeightBits, stop.Metrics);
                c.Pruning.Finished(trial.Number, TrialState.Pruned, null);
            }
            return new TrialOutcome(trial.Number, "PRUNED", bits.WeightBits, stop.Metrics, null, stop.Message, false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A trial that fails keeps its reason; the study goes on with the next one.
            var reason = $"{e.GetType().Name}: {e.Message}";
            lock (gate)
            {
                if (!study.TryTell(trial, TrialState.Fail, reason, out _)) return TakenOver(trial, bits.WeightBits, metrics);
                c.Pruning.Finished(trial.Number, TrialState.Fail, null);
            }
            return new TrialOutcome(trial.Number, "FAIL", bits.WeightBits, metrics, null, reason, false);
        }
    }

    // Study.TryTell returned false: another worker failed this trial as stale and re-queued it while it ran here.
    private static TrialOutcome TakenOver(Trial trial, IReadOnlyDictionary<string, int> weightBits, TrialMetrics? metrics) =>
        new(trial.Number, "FAIL", weightBits, metrics, null,
            $"{Study.StaleReason}: another worker failed trial {trial.Number} and re-queued it while it ran here", false);

    /// <summary>
    /// Where the trial's wall time went: model rungs (quantize, ONNX Runtime, integer engine), the
    /// device rung (time_device_s, of which time_board_busy_s on the board and the rest waiting for
    /// one), waiting for the model lane; the remainder is the orchestrator's own overhead (storage
    /// writes, sampling, scheduling).
    /// </summary>
    private static void StoreTiming(Trial trial, System.Diagnostics.Stopwatch wall, double model, double device, double laneWait, double boardBusy)
    {
        trial.SetUserAttr("time_model_s", Math.Round(model, 4));
        trial.SetUserAttr("time_device_s", Math.Round(device, 4));
        trial.SetUserAttr("time_lane_wait_s", Math.Round(laneWait, 4));
        trial.SetUserAttr("time_board_busy_s", Math.Round(boardBusy, 4));
        trial.SetUserAttr("time_trial_s", Math.Round(wall.Elapsed.TotalSeconds, 4));
    }

    /// <summary>Reports the rung's accuracy and throws a pruner stop when the pruner says so.</summary>
    private static void AskPruner(TrialContext c, Trial trial, Rung rung, int step, double accuracy, TrialMetrics m)
    {
        bool prune;
        lock (c.Gate) prune = c.Pruning.ReportAndAsk(trial, step, accuracy);
        if (prune)
            throw new RungStopException(rung, $"pruned at the {RungName(rung)} rung by the {c.S.Pruner} pruner (accuracy {accuracy.ToString("0.0000", CultureInfo.InvariantCulture)} at step {step})", m, "pruner");
    }

    /// <summary>The rung's name as stored and shown (static, subset, accuracy, device).</summary>
    public static string RungName(Rung r) => r.ToString().ToLowerInvariant();

    /// <summary>
    /// Constraints that the rung's measurements already decide: size constraints at the static
    /// rung (exact), accuracy constraints at the accuracy rungs. A configuration that violates
    /// one is not worth hardware time (DESIGN principle 3). On the subset rung an accuracy is an
    /// estimate from few samples, so it stops a trial only when the bound lies more than
    /// <see cref="SubsetZ"/> binomial standard errors above the estimate (per class for
    /// class_accuracy, with that class's sample count); the full rung decides exactly.
    /// </summary>
    private static void StopIfViolated(Rung rung, SearchSettings s, TrialMetrics m, TrialContext c)
    {
        foreach (var k in s.Constraints)
        {
            if (Metric.NeedsDevice(k.Metric)) continue;
            bool accuracy = Metric.IsAccuracy(k.Metric);
            if (rung == Rung.Static && accuracy) continue;
            if (rung == Rung.Subset)
            {
                if (!accuracy) continue;
                if (SubsetViolation(k, m, c.SubsetClassCounts) is { } why)
                    throw new RungStopException(rung, $"constraint {k} violated at the subset rung ({why})", m);
                continue;
            }
            if (m.Get(k.Metric) is { } v && k.Value(v) > 0)
                throw new RungStopException(rung, $"constraint {k} violated at the {RungName(rung)} rung ({k.Metric} = {v.ToString("G6", CultureInfo.InvariantCulture)}){ClassDetail(k, m)}", m);
        }
    }

    /// <summary>Standard errors by which a subset estimate must miss a bound to stop a trial.</summary>
    public const double SubsetZ = 2.0;

    private static string? SubsetViolation(Constraint k, TrialMetrics m, int[] classCounts)
    {
        static bool Clear(Constraint k, double est, int n)
        {
            if (k.Value(est) <= 0 || n == 0) return false;
            double se = Math.Sqrt(k.Bound * (1 - k.Bound) / n);
            return k.Value(est) > SubsetZ * se;
        }
        string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
        switch (k.Metric)
        {
            case Metric.Accuracy when m.SubsetAccuracy is { } a && Clear(k, a, m.SubsetSamples ?? 0):
                return $"accuracy {F(a)} on {m.SubsetSamples} samples";
            case Metric.ClassAccuracy when m.ClassAccuracies is { } per:
                for (int cls = 0; cls < per.Count; cls++)
                    if (!double.IsNaN(per[cls]) && cls < classCounts.Length && Clear(k, per[cls], classCounts[cls]))
                        return $"class {cls}: accuracy {F(per[cls])} on {classCounts[cls]} samples";
                return null;
            default:
                return null;
        }
    }

    private static string ClassDetail(Constraint k, TrialMetrics m)
    {
        if (k.Metric != Metric.ClassAccuracy || m.ClassAccuracies is not { } per) return "";
        var low = Enumerable.Range(0, per.Count).Where(i => !double.IsNaN(per[i]) && k.Value(per[i]) > 0)
            .Select(i => $"{i}: {per[i].ToString("0.###", CultureInfo.InvariantCulture)}");
        return $"; classes below the floor: {string.Join(", ", low)}";
    }

    /// <summary>The model-side metrics with the device fields of <paramref name="d"/>.</summary>
    private static TrialMetrics WithDevice(TrialMetrics m, TrialMetrics d) => m with
    {
        EnergyUj = d.EnergyUj, EnergyStdUj = d.EnergyStdUj, LatencyMs = d.LatencyMs, Cycles = d.Cycles,
        DeviceMismatches = d.DeviceMismatches, DeviceSamples = d.DeviceSamples, LostSamples = d.LostSamples ?? m.LostSamples,
    };

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
        if (m.ClassAccuracies is { } per)
            trial.SetUserAttr("class_accuracies", per.Select(v => double.IsNaN(v) ? (object?)null : Math.Round(v, 6)).ToList());
    }

    /// <summary>Keeps a short trace excerpt on the trial for the report (µA rounded to 0.1).</summary>
    private static void StoreTrace(Trial trial, Rigs.TraceExcerpt t)
    {
        trial.SetUserAttr("trace_rate_hz", t.SampleRateHz);
        trial.SetUserAttr("trace_ua", t.CurrentUa.Select(v => float.IsNaN(v) ? (object?)null : Math.Round(v, 1)).ToList());
        trial.SetUserAttr("trace_trigger", t.Trigger.Select(b => (object?)(long)b).ToList());
    }

    /// <summary>
    /// Trials with an outcome of this study (trials a warm start copied are not: --trials counts new ones). A trial failed as interrupted (or stale) by a resume does not count:
    /// its configuration was queued again and the retry's outcome is the one that counts, so a
    /// study killed any number of times still ends with --trials real outcomes.
    /// </summary>
    private static int CountFinished(Study study) => study.GetTrials().Count(StudyBudget.IsOwnOutcome);

    /// <summary>
    /// A kill between <see cref="Study.FailStaleTrials"/> marking a trial failed and queueing its
    /// retry leaves an interrupted FAIL with no retry: queue those again, so no configuration is lost.
    /// </summary>
    private static int RequeueOrphans(Study study)
    {
        var all = study.GetTrials();
        var retriedNumbers = new HashSet<long>();
        foreach (var t in all)
            if (t.SystemAttrs.TryGetValue("failed_trial", out var n) && n is not null)
                retriedNumbers.Add(Convert.ToInt64(n, CultureInfo.InvariantCulture));
        int count = 0;
        foreach (var t in all)
        {
            if (!IsRequeued(t) || retriedNumbers.Contains(t.Number)) continue;
            var history = t.SystemAttrs.GetValueOrDefault(Study.RetryHistoryKey) is List<object?> h ? new List<object?>(h) : [];
            history.Add((long)t.Number);
            study.Storage.CreateNewTrial(study.StudyId, new FrozenTrial
            {
                State = TrialState.Waiting,
                SystemAttrs = new Dictionary<string, object?>
                {
                    [Trial.FixedParamsKey] = t.Params.ToDictionary(kv => kv.Key, kv => kv.Value),
                    ["failed_trial"] = (long)t.Number,
                    [Study.RetryHistoryKey] = history,
                },
            });
            count++;
        }
        return count;
    }

    /// <summary>A FAIL trial that <see cref="Study.FailStaleTrials"/> failed and queued again.</summary>
    public static bool IsRequeued(FrozenTrial t) =>
        t.State == TrialState.Fail && t.SystemAttrs.TryGetValue(Study.FailReasonKey, out var r)
        && r?.ToString() is Study.InterruptedReason or Study.StaleReason;

    private static string SettingsJson(SearchSettings s, BoardProfile board, string inputsKey) => JsonSerializer.Serialize(new
    {
        model = Path.GetFullPath(s.ModelPath),
        inputs_sha256 = inputsKey,
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
        pruner = s.Pruner,
        subset_samples = s.SubsetSamples,
    });

    /// <summary>The study's trials and its Pareto front, read back from storage.</summary>
    public static SearchResult Summarize(Study study, SearchSettings s, string name)
    {
        var all = study.GetTrials().Select(t => ToOutcome(t)).ToList();
        var front = study.BestTrials.Select(t => ToOutcome(t)).ToList();
        return new SearchResult(name, s.Storage, s.Objectives, all, front) { Stats = SearchStats.From(study.GetTrials()) };
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
