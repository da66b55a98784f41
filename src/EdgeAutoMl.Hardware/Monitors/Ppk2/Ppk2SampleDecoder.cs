using System.Buffers.Binary;

namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>
/// Turns the PPK2's byte stream into samples. Uses the 6-bit counter to find lost samples (kept
/// as NaN so time stays exact) and to recover the 4-byte alignment after a dropped or duplicated
/// byte: the alignment at which the next <see cref="Lookahead"/> counters advance by one wins.
/// </summary>
public sealed class Ppk2SampleDecoder
{
    private readonly Ppk2Metadata _metadata;
    private readonly int _vddMillivolts;
    private byte[] _buffer = new byte[8192];
    private int _start, _end;
    private int? _expected;
    private byte _lastLogic;
    private readonly List<float> _current = new();
    private readonly List<byte> _logic = new();

    /// <summary>Decodes with the calibration of <paramref name="metadata"/> at supply <paramref name="vddMillivolts"/>.</summary>
    public Ppk2SampleDecoder(Ppk2Metadata metadata, int vddMillivolts, int lookahead = 4)
    {
        if (lookahead < 2) throw new ArgumentOutOfRangeException(nameof(lookahead), lookahead, "lookahead must be at least 2 samples");
        _metadata = metadata;
        _vddMillivolts = vddMillivolts;
        Lookahead = lookahead;
    }

    /// <summary>Consecutive samples whose counters must advance by one to accept an alignment.</summary>
    public int Lookahead { get; }
    /// <summary>Sample slots decoded so far (lost ones included).</summary>
    public int Count => _current.Count;
    /// <summary>Samples known to be lost or unusable.</summary>
    public long LostSamples { get; private set; }
    /// <summary>Times the alignment was found again after a byte slip.</summary>
    public long Resyncs { get; private set; }
    /// <summary>Bytes skipped while looking for the alignment.</summary>
    public long DiscardedBytes { get; private set; }

    /// <summary>Appends received bytes and decodes what can be decided.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_end + bytes.Length > _buffer.Length)
        {
            int live = _end - _start;
            if (live + bytes.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, live + bytes.Length));
            Array.Copy(_buffer, _start, _buffer, 0, live);
            _start = 0; _end = live;
        }
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
        Process(final: false);
    }

    /// <summary>Decodes the remaining bytes with whatever lookahead is left (call after the stream stops).</summary>
    public void Complete()
    {
        Process(final: true);
        DiscardedBytes += _end - _start;
        _start = _end = 0;
    }

    /// <summary>The trace so far.</summary>
    public PowerTrace ToTrace(double sampleRateHz, double supplyVolts) =>
        new(sampleRateHz, supplyVolts, _current.ToArray(), _logic.ToArray(), LostSamples, Resyncs);

    private int Available => _end - _start;
    private uint WordAt(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start + offset, 4));
    private int CounterAt(int offset) => (int)(WordAt(offset) >> 18 & 0x3F);

    private bool ConsistentRun(int offset, bool final)
    {
        int words = (Available - offset) / 4;
        int need = final ? Math.Min(Lookahead, words) : Lookahead;
        if (need < 2 || words < need) return false;
        for (int j = 1; j < need; j++)
            if (CounterAt(offset + 4 * j) != (CounterAt(offset + 4 * (j - 1)) + 1) % Ppk2Sample.CounterModulo) return false;
        return true;
    }

    private int FindAlignment(int fromShift, bool final)
    {
        for (int s = fromShift; s <= 3; s++)
            if (ConsistentRun(s, final)) return s;
        return -1;
    }

    private void Emit(uint word)
    {
        var sample = Ppk2Sample.FromWord(word);
        _current.Add((float)_metadata.ToMicroamps(sample.Adc, sample.Range, _vddMillivolts));
        _logic.Add(sample.Logic);
        _lastLogic = sample.Logic;
    }

    private void EmitLost(int count)
    {
        for (int i = 0; i < count; i++) { _current.Add(float.NaN); _logic.Add(_lastLogic); }
        LostSamples += count;
    }

    private void Consume(int n) => _start += n;

    private void Process(bool final)
    {
        int window = 4 * Lookahead + 3;
        while (Available >= 4)
        {
            if (_expected is null)
            {
                if (!final && Available < window) return;
                int s = FindAlignment(0, final);
                if (s < 0)
                {
                    if (final && Available < 8) return; // too little left to judge
                    Consume(1); DiscardedBytes++;
                    continue;
                }
                Consume(s); DiscardedBytes += s;
                _expected = CounterAt(0);
                continue;
            }

            uint word = WordAt(0);
            int counter = (int)(word >> 18 & 0x3F);
            if (counter == _expected)
            {
                Emit(word); Consume(4);
                _expected = (counter + 1) % Ppk2Sample.CounterModulo;
                continue;
            }

            if (!final && Available < window) return; // decide with the lookahead in hand
            if (ConsistentRun(0, final) || (final && Available < 8))
            {
                // Alignment intact, the counter jumped: the monitor dropped samples.
                EmitLost((counter - _expected.Value + Ppk2Sample.CounterModulo) % Ppk2Sample.CounterModulo);
                Emit(word); Consume(4);
                _expected = (counter + 1) % Ppk2Sample.CounterModulo;
                continue;
            }
            int shift = FindAlignment(1, final);
            if (shift > 0)
            {
                // A byte slipped. The first word at the new alignment overlaps the damaged one,
                // so it is counted as lost rather than trusted.
                Resyncs++;
                Consume(shift); DiscardedBytes += shift;
                int resumed = CounterAt(0);
                EmitLost((resumed - _expected.Value + Ppk2Sample.CounterModulo) % Ppk2Sample.CounterModulo + 1);
                Consume(4);
                _expected = (resumed + 1) % Ppk2Sample.CounterModulo;
                continue;
            }
            // No alignment explains it: a corrupted word (e.g. a flipped counter bit).
            EmitLost(1); Consume(4); DiscardedBytes += 4;
            _expected = (_expected.Value + 1) % Ppk2Sample.CounterModulo;
        }
    }
}
