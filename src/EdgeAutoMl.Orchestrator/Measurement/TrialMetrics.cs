namespace EdgeAutoMl.Orchestrator.Measurement;

/// <summary>
/// What one configuration measured, rung by rung. A null field was not reached (the trial
/// stopped earlier) — never a made-up value.
/// </summary>
public sealed record TrialMetrics
{
    /// <summary>Packed blob size: what the device must hold in flash.</summary>
    public long FlashBytes { get; init; }
    /// <summary>Peak activation arena from the lifetime plan.</summary>
    public long RamBytes { get; init; }
    /// <summary>Bit-packed weight bytes alone.</summary>
    public long WeightBytes { get; init; }
    /// <summary>Top-1 accuracy of the QDQ model in ONNX Runtime.</summary>
    public double? Accuracy { get; init; }
    /// <summary>Top-1 accuracy of the C# integer engine on the packed blob.</summary>
    public double? AccuracyInteger { get; init; }
    /// <summary>Lowest per-class accuracy (recall) of the QDQ model in ONNX Runtime, over the classes present in the labels.</summary>
    public double? ClassAccuracy { get; init; }
    /// <summary>Per-class accuracy (recall) by class index; NaN for a class absent from the labels.</summary>
    public IReadOnlyList<double>? ClassAccuracies { get; init; }
    /// <summary>Accuracy in ONNX Runtime on the calibration subset (the cheap accuracy rung).</summary>
    public double? SubsetAccuracy { get; init; }
    /// <summary>How many validation samples the subset rung used.</summary>
    public int? SubsetSamples { get; init; }
    /// <summary>Mean energy per inference over the trigger windows, µJ.</summary>
    public double? EnergyUj { get; init; }
    /// <summary>Spread (standard deviation) of the per-window energies, µJ.</summary>
    public double? EnergyStdUj { get; init; }
    /// <summary>Mean latency from the device's cycle counter, ms.</summary>
    public double? LatencyMs { get; init; }
    /// <summary>Mean cycles per inference.</summary>
    public double? Cycles { get; init; }
    /// <summary>Validation samples whose device output differs from the host engine's.</summary>
    public int? DeviceMismatches { get; init; }
    /// <summary>How many samples the device ran for the mismatch check.</summary>
    public int? DeviceSamples { get; init; }
    /// <summary>Power-monitor samples lost during the energy capture (counter gaps).</summary>
    public long? LostSamples { get; init; }
    /// <summary>SHA-256 of the packed blob (hex), the key of the measurement cache.</summary>
    public string BlobSha256 { get; init; } = "";

    /// <summary>Value of a metric by its canonical name, or null if it was not measured.</summary>
    public double? Get(string metric) => metric switch
    {
        Objectives.Metric.Accuracy => Accuracy,
        Objectives.Metric.AccuracyInteger => AccuracyInteger,
        Objectives.Metric.EnergyUj => EnergyUj,
        Objectives.Metric.LatencyMs => LatencyMs,
        Objectives.Metric.FlashBytes => FlashBytes,
        Objectives.Metric.RamBytes => RamBytes,
        Objectives.Metric.DeviceMismatches => DeviceMismatches,
        Objectives.Metric.ClassAccuracy => ClassAccuracy,
        _ => throw new ArgumentException($"unknown metric '{metric}'"),
    };

    /// <summary>
    /// The metrics as JSON-friendly name/value pairs (DESIGN.md names), measured scalar ones only
    /// (<see cref="ClassAccuracies"/> is a list: callers that want it store it themselves).
    /// </summary>
    public IReadOnlyDictionary<string, object> ToDictionary()
    {
        var d = new Dictionary<string, object>
        {
            [Objectives.Metric.FlashBytes] = FlashBytes,
            [Objectives.Metric.RamBytes] = RamBytes,
            ["weight_bytes"] = WeightBytes,
        };
        if (Accuracy is { } a) d[Objectives.Metric.Accuracy] = a;
        if (AccuracyInteger is { } ai) d[Objectives.Metric.AccuracyInteger] = ai;
        if (ClassAccuracy is { } ca) d[Objectives.Metric.ClassAccuracy] = ca;
        if (SubsetAccuracy is { } sa) d["subset_accuracy"] = sa;
        if (SubsetSamples is { } sn) d["subset_samples"] = sn;
        if (EnergyUj is { } e) d[Objectives.Metric.EnergyUj] = e;
        if (EnergyStdUj is { } es) d["energy_std_uj"] = es;
        if (LatencyMs is { } l) d[Objectives.Metric.LatencyMs] = l;
        if (Cycles is { } c) d["cycles"] = c;
        if (DeviceMismatches is { } m) d[Objectives.Metric.DeviceMismatches] = m;
        if (DeviceSamples is { } n) d["device_samples"] = n;
        if (LostSamples is { } lost) d["lost_samples"] = lost;
        if (BlobSha256.Length > 0) d["blob_sha256"] = BlobSha256;
        return d;
    }
}
