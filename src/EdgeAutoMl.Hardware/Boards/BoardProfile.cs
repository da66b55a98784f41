namespace EdgeAutoMl.Hardware.Boards;

/// <summary>A board profile from boards/*.json (schema "edgeautoml-board/1").</summary>
/// <param name="Id">Board id; the firmware reports the same id in IDENTIFY.</param>
/// <param name="Name">Human-readable name.</param>
/// <param name="Core">CPU core, e.g. "cortex-m4f".</param>
/// <param name="ClockHz">Core clock.</param>
/// <param name="FlashBytes">Total flash.</param>
/// <param name="RamBytes">Total RAM.</param>
/// <param name="ModelFlashBytes">Flash budget for a model blob.</param>
/// <param name="ArenaRamBytes">RAM budget for the activation arena.</param>
/// <param name="SupplyVolts">Supply voltage (energy = V·I·t).</param>
/// <param name="Baud">Serial baud rate.</param>
/// <param name="Transport">How the board is reached.</param>
/// <param name="Monitor">How its current is measured.</param>
/// <param name="CostModel">The simulator's cost model (null for boards without one).</param>
/// <param name="SourcePath">File the profile was loaded from.</param>
public sealed record BoardProfile(
    string Id, string Name, string Core, long ClockHz, long FlashBytes, long RamBytes, long ModelFlashBytes, long ArenaRamBytes,
    double SupplyVolts, int Baud, TransportProfile Transport, MonitorProfile Monitor, CostModel? CostModel, string SourcePath)
{
    /// <summary>Gaussian current noise of the simulated power monitor in µA (profile field simulator.noise_ua; 0 = clean).</summary>
    public double SimNoiseMicroamps { get; init; }
}

/// <summary>How the host reaches the board: "sim" (host-port firmware), "qemu", or "serial" with a port.</summary>
public sealed record TransportProfile(string Kind, string? Port);

/// <summary>Power monitor wiring: kind ("ppk2", ...), the logic channel carrying the trigger, sample rate, optional port.</summary>
public sealed record MonitorProfile(string Kind, int TriggerChannel, double SampleRateHz, string? Port);

/// <summary>The simulator's cost model: cycles and current as functions of the work an inference does.</summary>
/// <param name="CyclesPerOp">Fixed cycles per op.</param>
/// <param name="CyclesPerElem">Cycles per output element.</param>
/// <param name="CyclesPerMac">Cycles per multiply-accumulate, by weight bit-width 2..8.</param>
/// <param name="IdleMicroamps">Current while idle.</param>
/// <param name="ActiveMicroamps">Current while computing.</param>
/// <param name="MicroampsPerWeightBit">Extra current per weight bit.</param>
public sealed record CostModel(double CyclesPerOp, double CyclesPerElem, IReadOnlyDictionary<int, double> CyclesPerMac,
    double IdleMicroamps, double ActiveMicroamps, double MicroampsPerWeightBit)
{
    /// <summary>
    /// The firmware host port's --cost argument:
    /// "op=..,elem=..,mac2=..,...,mac8=..,idle_ua=..,active_ua=..,ua_per_bit=..".
    /// </summary>
    public string ToCommandLine()
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        var parts = new List<string> { $"op={CyclesPerOp.ToString(ci)}", $"elem={CyclesPerElem.ToString(ci)}" };
        parts.AddRange(CyclesPerMac.OrderBy(kv => kv.Key).Select(kv => $"mac{kv.Key}={kv.Value.ToString(ci)}"));
        parts.Add($"idle_ua={IdleMicroamps.ToString(ci)}");
        parts.Add($"active_ua={ActiveMicroamps.ToString(ci)}");
        parts.Add($"ua_per_bit={MicroampsPerWeightBit.ToString(ci)}");
        return string.Join(',', parts);
    }
}
