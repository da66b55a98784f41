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

    /// <summary>Every metric name an objective or constraint may use.</summary>
    public static readonly IReadOnlyList<string> All =
        [Accuracy, AccuracyInteger, EnergyUj, LatencyMs, FlashBytes, RamBytes, DeviceMismatches];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["accuracy"] = Accuracy, ["acc"] = Accuracy, ["accuracy_int"] = AccuracyInteger,
        ["energy"] = EnergyUj, ["energy_uj"] = EnergyUj,
        ["latency"] = LatencyMs, ["latency_ms"] = LatencyMs,
        ["flash"] = FlashBytes, ["flash_bytes"] = FlashBytes,
        ["ram"] = RamBytes, ["ram_bytes"] = RamBytes,
        ["device_mismatches"] = DeviceMismatches, ["mismatches"] = DeviceMismatches,
    };

    /// <summary>Canonical metric name for a name or alias; throws naming the known ones.</summary>
    public static string Resolve(string name) =>
        Aliases.TryGetValue(name.Trim(), out var m)
            ? m
            : throw new ArgumentException(
                $"unknown metric '{name}'; known: accuracy, energy, latency, flash, ram, device_mismatches, accuracy_int");

    /// <summary>True for metrics that need the device (so a trial stopped before the device rung has none).</summary>
    public static bool NeedsDevice(string metric) => metric is EnergyUj or LatencyMs or DeviceMismatches;
}
