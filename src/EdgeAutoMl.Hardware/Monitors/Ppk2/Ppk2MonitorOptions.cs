namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>How a <see cref="Ppk2Monitor"/> sets up the PPK2.</summary>
public sealed record Ppk2MonitorOptions
{
    /// <summary>Supply for the device under test in mV (800..5000), sent with RegulatorSet.</summary>
    public int SupplyMillivolts { get; init; } = 3000;
    /// <summary>Switch the DUT supply on after configuring.</summary>
    public bool PowerOnDut { get; init; } = true;
    /// <summary>How long to wait for the metadata text.</summary>
    public TimeSpan MetadataTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How long to wait for the first samples after AverageStart.</summary>
    public TimeSpan FirstSampleTimeout { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>Samples per second the PPK2 streams.</summary>
    public double SampleRateHz { get; init; } = 100_000;
    /// <summary>Baud rate to open the port with (USB CDC ignores it; a pty too).</summary>
    public int Baud { get; init; } = 115200;
}
