namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>
/// A current monitor in series with the board's supply that also samples digital lines (the
/// firmware's trigger pin). Capture is bracketed: start, let the device run, stop → trace.
/// </summary>
public interface IPowerMonitor : IAsyncDisposable
{
    /// <summary>Human-readable identity for messages, e.g. "PPK2 on /dev/ttyACM0".</summary>
    string Name { get; }
    /// <summary>Supply voltage of the device under test, in volts (used for energy).</summary>
    double SupplyVolts { get; }
    /// <summary>Nominal samples per second.</summary>
    double SampleRateHz { get; }
    /// <summary>Starts sampling; returns once samples flow (a silent monitor is an error here).</summary>
    Task StartCaptureAsync(CancellationToken cancellationToken = default);
    /// <summary>Stops sampling and returns everything captured since the start.</summary>
    Task<PowerTrace> StopCaptureAsync(CancellationToken cancellationToken = default);
}
