using System.Diagnostics;
using EdgeAutoMl.Hardware.Monitors.Ina;

namespace EdgeAutoMl.Hardware.Monitors.Sampling;

/// <summary>
/// A power monitor made of a polled current sensor (INA219/INA226 over I2C) and a trigger input
/// (a GPIO line wired to the firmware's trigger pin). A dedicated thread reads both as fast as
/// the sensor updates; the readings are put on a fixed grid at the sensor's update rate.
/// </summary>
public sealed class PolledMonitor : IPowerMonitor, ITriggerAware
{
    private readonly ICurrentSource _source;
    private readonly Func<bool>? _trigger;
    private readonly IDisposable? _triggerOwner;
    private readonly int _triggerChannel;
    private readonly List<TimedSample> _samples = [];
    private Thread? _thread;
    private volatile bool _running;
    private Exception? _error;

    /// <param name="source">The current sensor.</param>
    /// <param name="trigger">Reads the trigger line; null = no trigger wired (the whole capture is one window).</param>
    /// <param name="triggerOwner">Disposed with the monitor (e.g. the GPIO controller).</param>
    /// <param name="supplyVolts">Supply of the device under test.</param>
    /// <param name="triggerChannel">Logic channel the trigger is reported on (the board profile's trigger_channel).</param>
    public PolledMonitor(ICurrentSource source, Func<bool>? trigger, IDisposable? triggerOwner, double supplyVolts, int triggerChannel)
    {
        _source = source; _trigger = trigger; _triggerOwner = triggerOwner; SupplyVolts = supplyVolts; _triggerChannel = triggerChannel;
        SampleRateHz = 1.0 / source.UpdatePeriodSeconds;
    }

    /// <inheritdoc/>
    public string Name => _source.Name + (_trigger is null ? ", no trigger line" : ", GPIO trigger");
    /// <inheritdoc/>
    public bool HasTrigger => _trigger is not null;
    /// <inheritdoc/>
    public double SupplyVolts { get; }
    /// <inheritdoc/>
    public double SampleRateHz { get; }

    /// <inheritdoc/>
    public Task StartCaptureAsync(CancellationToken cancellationToken = default)
    {
        if (_running) throw new InvalidOperationException($"{Name}: capture already running");
        // One reading before the thread starts: a sensor that does not answer fails here, not mid-capture.
        _source.ReadCurrentMicroamps();
        lock (_samples) _samples.Clear();
        _error = null;
        _running = true;
        _thread = new Thread(Poll) { IsBackground = true, Name = "monitor " + Name, Priority = ThreadPriority.AboveNormal };
        _thread.Start();
        return Task.CompletedTask;
    }

    private void Poll()
    {
        var clock = Stopwatch.StartNew();
        try
        {
            while (_running)
            {
                double ua = _source.ReadCurrentMicroamps();
                bool trig = _trigger?.Invoke() ?? true;
                var s = new TimedSample(clock.Elapsed.TotalSeconds, (float)ua, trig);
                lock (_samples) _samples.Add(s);
            }
        }
        catch (Exception e) { _error = e; _running = false; }
    }

    /// <inheritdoc/>
    public Task<PowerTrace> StopCaptureAsync(CancellationToken cancellationToken = default)
    {
        _running = false;
        _thread?.Join();
        if (_error is { } e) throw new PowerMonitorException($"{Name}: reading failed during capture: {e.Message}", e);
        List<TimedSample> copy;
        lock (_samples) copy = [.. _samples];
        return Task.FromResult(TraceResampler.Resample(copy, SampleRateHz, SupplyVolts, _triggerChannel, maxGapSeconds: 5.0 / SampleRateHz));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _running = false;
        _thread?.Join();
        _source.Dispose();
        _triggerOwner?.Dispose();
        return ValueTask.CompletedTask;
    }
}
