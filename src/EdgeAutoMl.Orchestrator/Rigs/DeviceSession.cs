using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Energy;
using EdgeAutoMl.Hardware.Monitors;
using EdgeAutoMl.Hardware.Monitors.Ppk2;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>What the device rung measured for one packed model.</summary>
public sealed record DeviceMeasurement(double CyclesMean, double LatencyMs, double EnergyUj, double EnergyStdUj,
    int Windows, int Mismatches, int SamplesChecked, long LostSamples, TraceExcerpt Trace);

/// <summary>
/// A short piece of the current trace around the first trigger windows, kept with the trial so
/// a report can show what was measured (the full capture is not stored).
/// </summary>
/// <param name="SampleRateHz">Monitor sample rate.</param>
/// <param name="CurrentUa">Current per sample, µA (NaN where a sample was lost).</param>
/// <param name="Trigger">Trigger level per sample (0/1).</param>
public sealed record TraceExcerpt(double SampleRateHz, float[] CurrentUa, byte[] Trigger)
{
    /// <summary>Most samples an excerpt keeps.</summary>
    public const int MaxSamples = 600;

    /// <summary>Cuts the excerpt: from a little before the first window to at most <see cref="MaxSamples"/>.</summary>
    public static TraceExcerpt From(PowerTrace trace, IReadOnlyList<TriggerWindow> windows, int triggerChannel)
    {
        int n = trace.CurrentMicroamps.Length;
        int first = windows.Count > 0 ? windows[0].StartIndex : 0;
        int start = Math.Max(0, first - Math.Max(10, windows.Count > 0 ? windows[0].Length / 2 : 10));
        int len = Math.Min(MaxSamples, n - start);
        var cur = new float[len];
        var trig = new byte[len];
        for (int i = 0; i < len; i++)
        {
            cur[i] = trace.CurrentMicroamps[start + i];
            trig[i] = (byte)((trace.Logic[start + i] >> triggerChannel) & 1);
        }
        return new TraceExcerpt(trace.SampleRateHz, cur, trig);
    }
}

/// <summary>
/// One board and its power monitor, opened for a whole search: the device client on the
/// board's serial port and the monitor capturing current and the trigger line. With
/// <c>--port sim</c> it owns the simulated rig (host-port firmware + simulated PPK2 processes).
/// </summary>
public sealed class DeviceSession : IAsyncDisposable
{
    private readonly IAsyncDisposable? _rig; // SimulatedRig (--port sim) or QemuRig (--port qemu)
    private readonly DeviceClient _device;
    private readonly IPowerMonitor _monitor;

    private DeviceSession(BoardProfile board, IAsyncDisposable? rig, DeviceClient device, IPowerMonitor monitor, DeviceInfo info)
    {
        Board = board; _rig = rig; _device = device; _monitor = monitor; Info = info;
    }

    /// <summary>The board profile in use.</summary>
    public BoardProfile Board { get; }
    /// <summary>What the firmware said of itself in IDENTIFY.</summary>
    public DeviceInfo Info { get; }
    /// <summary>A human description: board id, ports, firmware version.</summary>
    public string Description => $"{Info.BoardId} fw {Info.FirmwareVersionText} on {_device.PortName}"
        + (_rig is SimulatedRig sim ? $" (simulated, fw pid {sim.FirmwareProcessId})" : _rig is null ? "" : " (simulated)");

    /// <summary>Process id of the simulated firmware, or null for a real board or QEMU.</summary>
    public int? FirmwareProcessId => (_rig as SimulatedRig)?.FirmwareProcessId;

    /// <summary>
    /// True when the simulator behind this session has died. A real board gives no such signal:
    /// its death shows as protocol timeouts instead.
    /// </summary>
    public bool RigDead => _rig is SimulatedRig sim && sim.HasExited;

    /// <summary>Opens the rig; <paramref name="port"/> "sim" starts the simulator processes, "qemu" the firmware under qemu-system-arm.</summary>
    public static async Task<DeviceSession> OpenAsync(BoardProfile board, string port, string monitor,
        string repoRoot, double simFaultRate, CancellationToken ct, double simNoiseMicroamps = 0, int simSeed = 1)
    {
        IAsyncDisposable? rig = null;
        string devicePort = port, monitorSpec = monitor;
        try
        {
            bool triggerless = monitor == TriggerlessMonitor.SimSpec;
            if (triggerless && port is not ("sim" or "qemu"))
                throw new ArgumentException($"--monitor {TriggerlessMonitor.SimSpec} needs --port sim or qemu (it is the simulated monitor with its trigger line cut)");
            if (triggerless) monitor = "sim";
            if (port == "sim")
            {
                var sim = await SimulatedRig.StartAsync(board,
                    new SimulatedRigOptions
                    {
                        RepoRoot = repoRoot, FaultRate = simFaultRate, FaultSeed = simSeed, WithMonitor = monitor == "sim",
                        NoiseMicroamps = simNoiseMicroamps, MonitorSeed = simSeed,
                    }, ct);
                rig = sim;
                devicePort = sim.DevicePort;
                if (monitor == "sim") monitorSpec = "ppk2:" + sim.MonitorPort;
            }
            else if (port == "qemu")
            {
                // The firmware cross-compiled for mps2-an386 under QEMU; its trigger UART feeds the simulated PPK2.
                var qemu = await QemuRig.StartAsync(board, new QemuRigOptions { RepoRoot = repoRoot, WithMonitor = monitor == "sim" }, ct);
                rig = qemu;
                devicePort = qemu.DevicePort;
                if (monitor == "sim") monitorSpec = "ppk2:" + qemu.MonitorPort;
            }
            else if (monitor == "sim")
            {
                throw new ArgumentException("--monitor sim needs --port sim or qemu (the simulated monitor is wired to the simulated board)");
            }
            // On a noisy simulated line long frames rarely arrive whole (1% per byte spoils most
            // 1 KiB frames), so use short chunks and more retries there.
            var options = simFaultRate > 0
                ? new DeviceClientOptions { MaxChunkBytes = 32, Retries = 30, ResponseTimeout = TimeSpan.FromMilliseconds(200) }
                : port == "qemu" ? QemuRig.ClientOptions : new DeviceClientOptions();
            var device = DeviceClient.Open(devicePort, board.Baud, options);
            var info = await device.IdentifyAsync(ct);
            var mon = await OpenMonitorAsync(monitorSpec, board, ct);
            if (triggerless) mon = new TriggerlessMonitor(mon);
            return new DeviceSession(board, rig, device, mon, info);
        }
        catch
        {
            if (rig is not null) await rig.DisposeAsync();
            throw;
        }
    }

    private static Task<IPowerMonitor> OpenMonitorAsync(string spec, BoardProfile board, CancellationToken ct) =>
        MonitorFactory.OpenAsync(MonitorSpec.Parse(spec), board.SupplyVolts, board.Monitor.TriggerChannel, board.Monitor.SampleRateHz, ct);

    /// <summary>
    /// Flashes <paramref name="blob"/> (skipped when the device already holds it), runs each
    /// input once and compares the output bytes with <paramref name="expected"/>, then runs
    /// <paramref name="energyRuns"/> inferences with the trigger while the monitor captures.
    /// </summary>
    public async Task<DeviceMeasurement> MeasureAsync(byte[] blob, IReadOnlyList<byte[]> inputs,
        IReadOnlyList<byte[]> expected, int energyRuns, CancellationToken ct)
    {
        await _device.LoadModelAsync(blob, null, ct);
        int mismatches = 0;
        TimeSpan? runTimeout = null;
        for (int i = 0; i < inputs.Count; i++)
        {
            await _device.SetInputAsync(inputs[i], ct);
            var one = await _device.RunAsync(1, trigger: false, runTimeout, ct);
            // Once one inference has been timed, a lost RUN frame is retried after the normal
            // response wait plus twice that time, not after the generous first-run timeout.
            runTimeout ??= _device.Options.ResponseTimeout + TimeSpan.FromSeconds(2.0 * one.CyclesMean / Info.ClockHz);
            var got = await _device.ReadOutputAsync(expected[i].Length, ct);
            if (!got.AsSpan().SequenceEqual(expected[i])) mismatches++;
        }

        await _device.SetInputAsync(inputs[0], ct);
        bool triggered = _monitor is not ITriggerAware { HasTrigger: false };
        // Without a trigger line nothing in the trace says where the inferences are: measure the
        // idle current first (same monitor, nothing running), so the run's charge above idle can be told apart.
        PowerTrace? idle = triggered ? null : await CaptureIdleAsync(ct);
        await _monitor.StartCaptureAsync(ct);
        RunResult run;
        PowerTrace trace;
        try
        {
            run = await _device.RunAsync(energyRuns, trigger: true, cancellationToken: ct);
            // Let the monitor's stream catch up past the last falling edge.
            await Task.Delay(30, ct);
        }
        finally
        {
            trace = await _monitor.StopCaptureAsync(ct);
        }
        double cycles = run.CyclesMean;
        double seconds = cycles / Info.ClockHz;
        if (!triggered)
        {
            var (uj, stdUj) = EnergyWithoutTrigger(trace, idle!, Board.SupplyVolts, seconds, energyRuns, _monitor.Name);
            return new DeviceMeasurement(cycles, seconds * 1e3, uj, stdUj, 1, mismatches, inputs.Count,
                trace.LostSamples + idle!.LostSamples, TraceExcerpt.From(trace, [], Board.Monitor.TriggerChannel));
        }
        var energy = EnergyIntegrator.Integrate(trace, Board.Monitor.TriggerChannel, Board.SupplyVolts);
        return new DeviceMeasurement(cycles, seconds * 1e3, energy.MeanEnergyMicrojoules, energy.StdDevEnergyMicrojoules,
            energy.Windows.Count, mismatches, inputs.Count, trace.LostSamples,
            TraceExcerpt.From(trace, energy.Windows, Board.Monitor.TriggerChannel));
    }

    /// <summary>How long the idle baseline of a no-trigger measurement is captured.</summary>
    public static readonly TimeSpan IdleCapture = TimeSpan.FromMilliseconds(40);

    private async Task<PowerTrace> CaptureIdleAsync(CancellationToken ct)
    {
        await _monitor.StartCaptureAsync(ct);
        try { await Task.Delay(IdleCapture, ct); }
        catch (OperationCanceledException) { await _monitor.StopCaptureAsync(CancellationToken.None); throw; }
        return await _monitor.StopCaptureAsync(ct);
    }

    /// <summary>
    /// Energy per inference without a trigger line, from the firmware's own run time: the capture
    /// spans idle time around the <paramref name="runs"/> inferences, whose total length the
    /// firmware's cycle count gives (runs × <paramref name="secondsPerInference"/>). With I0 the idle
    /// current (from <paramref name="idle"/>), the charge above idle over the whole capture is what
    /// the inferences added; per inference, E = V·[Σ(I − I0)·dt / runs + I0·t_inference].
    /// The spread returned is the estimate's standard error (idle-mean uncertainty over the
    /// capture plus the sample noise), since there are no per-window energies to spread.
    /// </summary>
    /// <exception cref="PowerMonitorException">No valid sample in the capture or the idle baseline.</exception>
    public static (double MicrojoulesPerInference, double StdErrorMicrojoules) EnergyWithoutTrigger(
        PowerTrace run, PowerTrace idle, double volts, double secondsPerInference, int runs, string monitorName)
    {
        var baseline = idle.CurrentMicroamps.Where(float.IsFinite).Select(v => (double)v).ToArray();
        var valid = run.CurrentMicroamps.Where(float.IsFinite).Select(v => (double)v).ToArray();
        if (baseline.Length == 0) throw new PowerMonitorException($"{monitorName}: no valid sample in the idle baseline");
        if (valid.Length == 0) throw new PowerMonitorException($"{monitorName}: no valid sample during the run");
        double i0 = baseline.Average();
        double sd0 = Math.Sqrt(baseline.Average(v => (v - i0) * (v - i0)));
        double dt = 1.0 / run.SampleRateHz;
        // Lost samples are left out of the sum; the ones left stand for the whole capture.
        double scale = (double)run.Count / valid.Length;
        double aboveIdle = valid.Sum(v => v - i0) * dt * scale; // µA·s = µC
        double uj = volts * (aboveIdle / runs + i0 * secondsPerInference);
        double capture = run.DurationSeconds;
        double se = volts / runs * Math.Sqrt(Math.Pow(sd0 / Math.Sqrt(baseline.Length) * capture, 2) + Math.Pow(sd0 * Math.Sqrt(valid.Length) * dt, 2));
        return (uj, se);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // A board that died mid-transfer can leave a port whose close blocks; each step is
        // bounded so a dead board cannot hold up the pool or the end of the search, and the
        // simulator processes are always killed.
        try
        {
            await Bounded(_monitor.DisposeAsync());
            await Bounded(_device.DisposeAsync());
        }
        finally
        {
            if (_rig is not null) await Bounded(_rig.DisposeAsync());
        }
    }

    private static async Task Bounded(ValueTask closing)
    {
        try { await closing.AsTask().WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { /* left to the finalizer: the port is gone either way */ }
    }
}
