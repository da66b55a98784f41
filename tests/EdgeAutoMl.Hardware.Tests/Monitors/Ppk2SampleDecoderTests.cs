using System.Buffers.Binary;
using CsCheck;
using EdgeAutoMl.Hardware.Monitors.Ppk2;

namespace EdgeAutoMl.Hardware.Tests.Monitors;

public class Ppk2SampleDecoderTests
{
    private static readonly Ppk2Metadata Meta = Ppk2Metadata.Parse(Ppk2MetadataTests.SimpleMetadata);

    /// <summary>Samples i = 0..n-1: ADC 1000 + i, range 0, counter (start + i) mod 64, logic = trigger bit on odd tens.</summary>
    private static byte[] Stream(int n, int start = 5, Func<int, bool>? skip = null)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < n; i++)
        {
            if (skip?.Invoke(i) == true) continue;
            var s = new Ppk2Sample(1000 + i, 0, (start + i) % 64, (byte)(i / 10 % 2));
            var w = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(w, s.ToWord());
            bytes.AddRange(w);
        }
        return bytes.ToArray();
    }

    private static Ppk2SampleDecoder Decode(byte[] stream, IEnumerable<int>? splits = null)
    {
        var d = new Ppk2SampleDecoder(Meta, 3000);
        int pos = 0;
        foreach (int len in splits ?? [stream.Length])
        {
            int take = Math.Min(len, stream.Length - pos);
            d.Feed(stream.AsSpan(pos, take));
            pos += take;
        }
        d.Feed(stream.AsSpan(pos));
        d.Complete();
        return d;
    }

    [Fact]
    public void Word_fields_are_where_nordic_puts_them()
    {
        var s = Ppk2Sample.FromWord(0xA5_8C_7F_FFu);
        // 0xA58C7FFF: ADC = 0x3FFF, range = bits 14-16 = 0b001, counter = bits 18-23 = 0b100011, logic = 0xA5
        Assert.Equal(0x3FFF, s.Adc);
        Assert.Equal(1, s.Range);
        Assert.Equal(0b100011, s.Counter);
        Assert.Equal(0xA5, s.Logic);
        Assert.Equal(0xA58C7FFFu, s.ToWord());
    }

    [Fact]
    public void Clean_stream_decodes_whole_however_it_is_chunked()
    {
        var stream = Stream(300);
        Gen.Int[1, 50].Array[1, 40].Sample(splits =>
        {
            var d = Decode(stream, splits);
            var t = d.ToTrace(100_000, 3.0);
            Assert.Equal(300, t.Count);
            Assert.Equal(0, t.LostSamples);
            Assert.Equal(0, t.Resyncs);
            for (int i = 0; i < 300; i++)
            {
                Assert.Equal(Meta.ToMicroamps(1000 + i, 0, 3000), t.CurrentMicroamps[i], 3);
                Assert.Equal(i / 10 % 2 == 1, t.IsHigh(i, 0));
            }
        }, iter: 50);
    }

    [Fact]
    public void Counter_gaps_become_lost_samples_and_time_stays_exact()
    {
        var stream = Stream(200, skip: i => i is >= 50 and < 53 || i == 120);
        var t = Decode(stream).ToTrace(100_000, 3.0);
        Assert.Equal(200, t.Count);
        Assert.Equal(4, t.LostSamples);
        Assert.True(float.IsNaN(t.CurrentMicroamps[51]));
        Assert.True(float.IsNaN(t.CurrentMicroamps[120]));
        Assert.Equal(Meta.ToMicroamps(1000 + 150, 0, 3000), t.CurrentMicroamps[150], 3);
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("duplicate")]
    public void A_byte_slip_is_resynchronised(string kind)
    {
        var stream = Stream(200).ToList();
        int at = 4 * 80 + 1;
        if (kind == "drop") stream.RemoveAt(at); else stream.Insert(at, stream[at]);
        var t = Decode(stream.ToArray()).ToTrace(100_000, 3.0);
        Assert.Equal(1, t.Resyncs);
        Assert.InRange(t.LostSamples, 1, 2);
        Assert.Equal(200, t.Count);
        // Everything after the slip is back in step.
        for (int i = 82; i < 200; i++) Assert.Equal(Meta.ToMicroamps(1000 + i, 0, 3000), t.CurrentMicroamps[i], 3);
        for (int i = 0; i < 80; i++) Assert.Equal(Meta.ToMicroamps(1000 + i, 0, 3000), t.CurrentMicroamps[i], 3);
    }

    [Fact]
    public void A_stream_starting_mid_sample_finds_its_alignment()
    {
        var stream = Stream(100).AsSpan(3).ToArray();
        var d = Decode(stream);
        var t = d.ToTrace(100_000, 3.0);
        Assert.Equal(99, t.Count);
        Assert.Equal(Meta.ToMicroamps(1001, 0, 3000), t.CurrentMicroamps[0], 3);
        Assert.Equal(1, d.DiscardedBytes); // the last byte of the cut first sample
    }
}
