using System.Text;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>
/// Nordic Power Profiler Kit II as an ampere meter: reads the calibration metadata, selects
/// ampere mode, sets the supply, powers the DUT, and streams 4-byte samples at 100 ksps with the
/// trigger on a digital channel. The same code drives a real PPK2 (/dev/ttyACM0) and the simulator.
/// </summary>
public sealed class Ppk2Monitor : IPowerMonitor
{
    private readonly ISerialLink _link;
    private readonly Ppk2MonitorOptions _options;
    private Ppk2SampleDecoder? _decoder;
    private CancellationTokenSource? _captureStop;
    private Task? _pump;
    private long _bytesReceived;

    private Ppk2Monitor(ISerialLink link, Ppk2MonitorOptions options, Ppk2Metadata metadata)
    {
        _link = link;
        _options = options;
        Metadata = metadata;
    }

    /// <summary>Calibration and identity read from the device.</summary>
    public Ppk2Metadata Metadata { get; }
    /// <inheritdoc/>
    public string Name => $"PPK2 on {_link.PortName}";
    /// <inheritdoc/>
    public double SupplyVolts => _options.SupplyMillivolts / 1000.0;
    /// <inheritdoc/>
    public double SampleRateHz => _options.SampleRateHz;

    /// <summary>Opens the PPK2 on <paramref name="portName"/> and configures it.</summary>
    /// <exception cref="DeviceUnreachableException">The port cannot be opened.</exception>
    /// <exception cref="PowerMonitorException">The PPK2 is silent or its metadata is malformed.</exception>
    public static async Task<Ppk2Monitor> OpenAsync(string portName, Ppk2MonitorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new Ppk2MonitorOptions();
        var link = SerialPortLink.Open(portName, options.Baud);
        try { return await OpenAsync(link, options, cancellationToken).ConfigureAwait(false); }
        catch { await link.DisposeAsync().ConfigureAwait(false); throw; }
    }

    /// <summary>Configures a PPK2 reached over <paramref name="link"/> (owned by the monitor from now on).</summary>
    public static async Task<Ppk2Monitor> OpenAsync(ISerialLink link, Ppk2MonitorOptions options, CancellationToken cancellationToken = default)
    {
        // A PPK2 left streaming by an earlier session would bury the metadata in samples.
        await link.WriteAsync(new[] { Ppk2Commands.AverageStop }, cancellationToken).ConfigureAwait(false);
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        link.DiscardInput();

        await link.WriteAsync(new[] { Ppk2Commands.GetMetadata }, cancellationToken).ConfigureAwait(false);
        string text = await ReadMetadataTextAsync(link, options.MetadataTimeout, cancellationToken).ConfigureAwait(false);
        Ppk2Metadata metadata;
        try { metadata = Ppk2Metadata.Parse(text, $"PPK2 metadata from {link.PortName}"); }
        catch (FormatException e) { throw new PowerMonitorException(e.Message, e); }

        await link.WriteAsync(new[] { Ppk2Commands.SetPowerMode, Ppk2Commands.PowerModeAmpere }, cancellationToken).ConfigureAwait(false);
        await link.WriteAsync(Ppk2Commands.RegulatorSetCommand(options.SupplyMillivolts), cancellationToken).ConfigureAwait(false);
        if (options.PowerOnDut)
            await link.WriteAsync(new byte[] { Ppk2Commands.DeviceRunningSet, 1 }, cancellationToken).ConfigureAwait(false);
        return new Ppk2Monitor(link, options, metadata);
    }

    private static async Task<string> ReadMetadataTextAsync(ISerialLink link, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var text = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                int n = await link.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
                int end = text.ToString().IndexOf("END", StringComparison.Ordinal);
                if (end >= 0) return text.ToString(0, end + 3);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PowerMonitorException(
                $"PPK2 on {link.PortName} did not answer GetMetadata (0x{Ppk2Commands.GetMetadata:X2}) within {timeout.TotalMilliseconds:0} ms " +
                $"(received {text.Length} bytes{(text.Length > 0 ? $", no END: '{Truncate(text.ToString())}'" : "")}); is it a PPK2, powered, and not held by another program?");
        }
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : s[..80] + "…";

    /// <inheritdoc/>
    public async Task StartCaptureAsync(CancellationToken cancellationToken = default)
    {
        if (_pump is not null) throw new InvalidOperationException($"{Name}: a capture is already running");
        _link.DiscardInput();
        var decoder = _decoder = new Ppk2SampleDecoder(Metadata, _options.SupplyMillivolts);
        var firstBytes = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _captureStop = new CancellationTokenSource();
        Interlocked.Exchange(ref _bytesReceived, 0);
        var stop = _captureStop.Token;
        _pump = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            while (!stop.IsCancellationRequested)
            {
                int n;
                try { n = await _link.ReadAsync(buffer, stop).ConfigureAwait(false); }
                catch (OperationCanceledException) { return; }
                lock (decoder) decoder.Feed(buffer.AsSpan(0, n));
                Interlocked.Add(ref _bytesReceived, n);
                firstBytes.TrySetResult();
            }
        }, CancellationToken.None);

        await _link.WriteAsync(new[] { Ppk2Commands.AverageStart }, cancellationToken).ConfigureAwait(false);
        var done = await Task.WhenAny(firstBytes.Task, _pump, Task.Delay(_options.FirstSampleTimeout, cancellationToken)).ConfigureAwait(false);
        if (done == _pump && _pump.IsFaulted) { var e = _pump.Exception!.InnerException!; await ResetCaptureAsync().ConfigureAwait(false); throw e; }
        if (done != firstBytes.Task)
        {
            await ResetCaptureAsync().ConfigureAwait(false);
            throw new PowerMonitorException($"{Name} sent no samples within {_options.FirstSampleTimeout.TotalMilliseconds:0} ms after AverageStart (0x{Ppk2Commands.AverageStart:X2}); is it streaming to another program, or is the DUT supply off?");
        }
    }

    /// <inheritdoc/>
    public async Task<PowerTrace> StopCaptureAsync(CancellationToken cancellationToken = default)
    {
        if (_pump is null || _decoder is null) throw new InvalidOperationException($"{Name}: no capture is running");
        await _link.WriteAsync(new[] { Ppk2Commands.AverageStop }, cancellationToken).ConfigureAwait(false);
        // Let samples already in flight arrive: wait until the stream stays quiet briefly.
        long seen = -1;
        for (int i = 0; i < 20 && Interlocked.Read(ref _bytesReceived) != seen; i++)
        {
            seen = Interlocked.Read(ref _bytesReceived);
            await Task.Delay(30, cancellationToken).ConfigureAwait(false);
        }
        var decoder = _decoder;
        var pump = _pump;
        await ResetCaptureAsync().ConfigureAwait(false);
        if (pump.IsFaulted) throw pump.Exception!.InnerException!;
        PowerTrace trace;
        lock (decoder)
        {
            decoder.Complete();
            trace = decoder.ToTrace(SampleRateHz, SupplyVolts);
        }
        if (trace.Count == 0) throw new PowerMonitorException($"{Name}: the capture holds no samples");
        return trace;
    }

    private async Task ResetCaptureAsync()
    {
        _captureStop?.Cancel();
        if (_pump is not null) { try { await _pump.ConfigureAwait(false); } catch { } }
        _captureStop?.Dispose();
        _captureStop = null;
        _pump = null;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_pump is not null)
        {
            try { await _link.WriteAsync(new[] { Ppk2Commands.AverageStop }).ConfigureAwait(false); } catch (DeviceUnreachableException) { }
            await ResetCaptureAsync().ConfigureAwait(false);
        }
        await _link.DisposeAsync().ConfigureAwait(false);
    }
}
