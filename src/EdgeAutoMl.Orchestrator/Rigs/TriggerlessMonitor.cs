using EdgeAutoMl.Hardware.Monitors;

namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>
/// A monitor with its digital lines cut: the trace keeps the current and loses every edge, as a
/// text-stream or INA monitor without a GPIO trigger gives it. <c>--monitor sim-notrigger</c>
/// wraps the simulated PPK2 in it, so the no-trigger energy path runs in simulation and tests.
/// </summary>
public sealed class TriggerlessMonitor(IPowerMonitor inner) : IPowerMonitor, ITriggerAware
{
    /// <summary>The monitor spec that selects it with a simulated board.</summary>
    public const string SimSpec = "sim-notrigger";

    /// <inheritdoc/>
    public string Name => inner.Name + ", trigger line not used";
    /// <inheritdoc/>
    public double SupplyVolts => inner.SupplyVolts;
    /// <inheritdoc/>
    public double SampleRateHz => inner.SampleRateHz;
    /// <inheritdoc/>
    public bool HasTrigger => false;
    /// <inheritdoc/>
    public Task StartCaptureAsync(CancellationToken cancellationToken = default) => inner.StartCaptureAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<PowerTrace> StopCaptureAsync(CancellationToken cancellationToken = default)
    {
        var t = await inner.StopCaptureAsync(cancellationToken);
        return t with { Logic = new byte[t.Logic.Length] };
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
