namespace EdgeAutoMl.Orchestrator.Objectives;

/// <summary>
/// The metrics a trial produces. Names are the JSON names of DESIGN.md's CLI surface; the short
/// aliases (energy, latency, flash, ram) are what people type in <c>--objectives</c>.
/// </summary>
public static class Metric
{
    public const string Accuracy = "accuracy";
    public const string AccuracyInteger = "accuracy_int";
    public const string EnergyUj = "energy_uj";
    public const string LatencyMs = "latency_ms";
    public const string FlashBytes = "flash_bytes";
    public const string RamBytes = "ram_bytes";
    public const string DeviceMismatches = "device_mismatches";
    /// <summary>Lowest per-class accuracy (recall) in ONNX Runtime: a floor on it means no class is sacrificed.</summary>
    public const string ClassAccuracy = "class_accuracy";

    /// <summary>Every metric name an objective or constraint may use.</summary>
    public static readonly IReadOnlyList<string> All =
        [Accuracy, AccuracyInteger, EnergyUj, LatencyMs, FlashBytes, RamBytes, DeviceMismatches, ClassAccuracy];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["accuracy"] = Accuracy, ["acc"] = Accuracy, ["accuracy_int"] = AccuracyInteger,
        ["energy"] = EnergyUj, ["energy_uj"] = EnergyUj,
        ["latency"] = LatencyMs, ["latency_ms"] = LatencyMs,
        ["flash"] = FlashBytes, ["flash_bytes"] = FlashBytes,
        ["ram"] = RamBytes, ["ram_bytes"] = RamBytes,
        ["device_mismatches"] = DeviceMismatches, ["mismatches"] = DeviceMismatches,
        ["class_accuracy"] = ClassAccuracy, ["min_class_accuracy"] = ClassAccuracy,
    };

    /// <summary>Canonical metric name for a name or alias; throws naming the known ones.</summary>
    public static string Resolve(string name) =>
        Aliases.TryGetValue(name.Trim(), out var m)
            ? m
            : throw new ArgumentException(
                $"unknown metric '{name}'; known: accuracy, energy, latency, flash, ram, device_mismatches, accuracy_int, class_accuracy");

    /// <summary>True for metrics that need the device (so a trial stopped before the device rung has none).</summary>
    public static bool NeedsDevice(string metric) => metric is EnergyUj or LatencyMs or DeviceMismatches;

    /// <summary>True for accuracy-type metrics (a fraction of samples right), which a subset of the data can estimate.</summary>
    public static bool IsAccuracy(string metric) => metric is Accuracy or AccuracyInteger or ClassAccuracy;
}
