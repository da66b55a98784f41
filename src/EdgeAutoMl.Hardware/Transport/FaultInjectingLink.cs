namespace EdgeAutoMl.Hardware.Transport;

/// <summary>
/// Test decorator for a noisy line: each byte written (and, if enabled, read) is, with probability
/// <see cref="Rate"/>, flipped in one bit, dropped, or duplicated. Seeded, so a failure reproduces.
/// The surviving bytes still travel through the real link (e.g. a pty to the firmware).
/// </summary>
public sealed class FaultInjectingLink : ISerialLink
{
    private readonly ISerialLink _inner;
    private readonly Random _random;
    private readonly object _gate = new();
    private double _rate;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The real link.</param>
    /// <param name="rate">Probability per byte of a fault, 0..1.</param>
    /// <param name="seed">Seed of the fault sequence.</param>
    /// <param name="corruptReads">Also corrupt received bytes, not only sent ones.</param>
    public FaultInjectingLink(ISerialLink inner, double rate, int seed, bool corruptReads = false)
    {
        if (rate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(rate), rate, "fault rate must be within 0..1");
        _inner = inner;
        Rate = rate;
        CorruptReads = corruptReads;
        _random = new Random(seed);
    }

    /// <summary>Probability per byte of a fault; may be changed while the link is in use (e.g. a line that turns bad mid-transfer).</summary>
    public double Rate
    {
        get { lock (_gate) return _rate; }
        set
        {
            if (value is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(value), value, "fault rate must be within 0..1");
            lock (_gate) _rate = value;
        }
    }
    /// <summary>Whether received bytes are corrupted too.</summary>
    public bool CorruptReads { get; }
    /// <summary>Number of faults injected so far.</summary>
    public int FaultsInjected { get; private set; }

    /// <inheritdoc/>
    public string PortName => _inner.PortName;

    /// <summary>Applies faults to <paramref name="data"/> with the given random source (exposed for tests of the injector itself).</summary>
    internal byte[] Corrupt(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            var output = new List<byte>(data.Length + 8);
            foreach (byte b in data)
            {
                if (_random.NextDouble() >= _rate) { output.Add(b); continue; }
                FaultsInjected++;
                switch (_random.Next(3))
                {
                    case 0: output.Add((byte)(b ^ (1 << _random.Next(8)))); break; // flip
                    case 1: break;                                                  // drop
                    default: output.Add(b); output.Add(b); break;                   // duplicate
                }
            }
            return output.ToArray();
        }
    }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _inner.WriteAsync(Corrupt(data.Span), cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!CorruptReads) return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            // Read into a smaller window so a duplicated byte still fits.
            var scratch = new byte[Math.Max(1, buffer.Length / 2)];
            int n = await _inner.ReadAsync(scratch, cancellationToken).ConfigureAwait(false);
            var corrupted = Corrupt(scratch.AsSpan(0, n));
            if (corrupted.Length == 0) continue;
            corrupted.CopyTo(buffer);
            return corrupted.Length;
        }
    }

    /// <inheritdoc/>
    public void DiscardInput() => _inner.DiscardInput();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
