using System.Text;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Monitors.Text;

/// <summary>
/// A power monitor that prints one reading per line on a serial port, at a known rate. Sample i
/// of a capture is taken at i / rate; unparseable lines keep their slot as a lost sample. Without
/// a trigger column every sample counts as triggered (the capture brackets the run).
/// </summary>
public sealed class TextStreamMonitor : IPowerMonitor, ITriggerAware
{
    private readonly ISerialLink _link;
    private readonly TextSampleFormat _format;
    private readonly int _triggerChannel;
    private readonly TextLineCollector _collector;
    private CancellationTokenSource? _capture;
    private Task? _reader;

    /// <summary>Wraps an open link (a serial port, or a stream in tests).</summary>
    public TextStreamMonitor(ISerialLink link, TextSampleFormat format, double supplyVolts, int triggerChannel)
    {
        _link = link; _format = format; SupplyVolts = supplyVolts; _triggerChannel = triggerChannel;
        _collector = new TextLineCollector(format, triggerChannel);
        TextSampleFormat.Scale(format.Unit); // a bad unit fails at open, not at the first capture
        if (format.RateHz <= 0) throw new ArgumentException($"text monitor on {link.PortName}: rate must be > 0, got {format.RateHz}");
    }

    /// <summary>Opens a serial port at <paramref name="baud"/>.</summary>
    public static TextStreamMonitor Open(string port, int baud, TextSampleFormat format, double supplyVolts, int triggerChannel) =>
        new(SerialPortLink.Open(port, baud), format, supplyVolts, triggerChannel);

    /// <inheritdoc/>
    public string Name => $"text monitor on {_link.PortName} ({_format.Unit}, {_format.RateHz} Hz)";
    /// <inheritdoc/>
    public double SupplyVolts { get; }
    /// <inheritdoc/>
    public bool HasTrigger => _format.TriggerColumn is not null;
    /// <inheritdoc/>
    public double SampleRateHz => _format.RateHz;

    /// <inheritdoc/>
    public async Task StartCaptureAsync(CancellationToken cancellationToken = default)
    {
        _link.DiscardInput();
        _collector.Reset();
        _capture = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reader = ReadLoopAsync(_capture.Token);
        // A silent instrument is an error here, not an empty trace later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(Math.Max(1, 20 / _format.RateHz));
        while (_collector.Lines == 0)
        {
            if (_reader.IsCompleted) await _reader;
            if (DateTime.UtcNow > deadline)
                throw new PowerMonitorException($"{Name}: no line received within {(deadline - DateTime.UtcNow).TotalSeconds:0.#} s; is the instrument streaming?");
            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        var buf = new byte[4096];
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int n = await _link.ReadAsync(buf, ct);
                _collector.Add(buf.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    /// <inheritdoc/>
    public async Task<PowerTrace> StopCaptureAsync(CancellationToken cancellationToken = default)
    {
        _capture?.Cancel();
        if (_reader is not null) await _reader;
        return _collector.ToTrace(SupplyVolts);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _capture?.Cancel();
        if (_reader is not null) { try { await _reader; } catch (Exception) { } }
        await _link.DisposeAsync();
    }
}

/// <summary>Splits bytes into lines and lines into samples for <see cref="TextStreamMonitor"/>; separate so it is testable without a port.</summary>
public sealed class TextLineCollector(TextSampleFormat format, int triggerChannel)
{
    private readonly StringBuilder _partial = new();
    private readonly List<float> _current = [];
    private readonly List<byte> _logic = [];
    private long _lost;
    private bool _first = true;

    /// <summary>Complete lines seen since <see cref="Reset"/>.</summary>
    public int Lines { get { lock (_current) return _current.Count; } }

    /// <summary>Forgets everything (start of a capture); the first partial line after it is dropped.</summary>
    public void Reset()
    {
        lock (_current) { _partial.Clear(); _current.Clear(); _logic.Clear(); _lost = 0; _first = true; }
    }

    /// <summary>Adds received bytes (ASCII/UTF-8).</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        lock (_current)
        {
            foreach (char c in Encoding.UTF8.GetString(bytes))
            {
                if (c == '\r') continue;
                if (c != '\n') { _partial.Append(c); continue; }
                var line = _partial.ToString();
                _partial.Clear();
                // The capture may start mid-line: that fragment is not a reading.
                if (_first) { _first = false; continue; }
                if (format.TryParse(line, out float ua, out bool? trig))
                {
                    _current.Add(ua);
                    _logic.Add((byte)((trig ?? true) ? 1 << triggerChannel : 0));
                }
                else if (line.Trim().Length > 0)
                {
                    _current.Add(float.NaN);
                    _logic.Add(_logic.Count > 0 ? _logic[^1] : (byte)0);
                    _lost++;
                }
            }
        }
    }

    /// <summary>The samples so far as a trace at the format's rate.</summary>
    public PowerTrace ToTrace(double supplyVolts)
    {
        lock (_current) return new PowerTrace(format.RateHz, supplyVolts, [.. _current], [.. _logic], _lost, 0);
    }
}
