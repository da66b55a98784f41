using System.Text;
using EdgeAutoMl.Hardware.Monitors;
using EdgeAutoMl.Hardware.Monitors.Sampling;
using EdgeAutoMl.Hardware.Monitors.Text;

namespace EdgeAutoMl.Hardware.Tests.Monitors;

public class TextMonitorTests
{
    [Theory]
    [InlineData("12.5", "mA", 12500f)]
    [InlineData("12.5mA", "uA", 12500f)]
    [InlineData("350 uA", "mA", 350f)]
    [InlineData("0.002A", "mA", 2000f)]
    [InlineData("-1.5e1", "uA", -15f)]
    public void Parses_a_reading_in_the_default_or_suffix_unit(string line, string unit, float expectedUa)
    {
        Assert.True(new TextSampleFormat { Unit = unit }.TryParse(line, out var ua, out var trig));
        Assert.Equal(expectedUa, ua, 3);
        Assert.Null(trig);
    }

    [Fact]
    public void Reads_the_trigger_column_and_rejects_garbage()
    {
        var f = new TextSampleFormat { Unit = "uA", CurrentColumn = 1, TriggerColumn = 2 };
        Assert.True(f.TryParse("17,250.5,1", out var ua, out var trig));
        Assert.Equal(250.5f, ua);
        Assert.True(trig);
        Assert.True(f.TryParse("18;251;0", out _, out trig));
        Assert.False(trig);
        Assert.False(f.TryParse("time,current,trig", out _, out _));
        Assert.False(f.TryParse("19,251", out _, out _));  // trigger column missing
        Assert.False(f.TryParse("19,2x1,1", out _, out _));
    }

    [Fact]
    public void Collector_drops_the_first_partial_line_and_keeps_slots_for_garbled_lines()
    {
        var c = new TextLineCollector(new TextSampleFormat { Unit = "mA", RateHz = 100, TriggerColumn = 1 }, triggerChannel: 0);
        c.Add(Encoding.ASCII.GetBytes("5,0\r\n1.0,0\r\n2.0,1\r\n@@\r\n2."));
        c.Add(Encoding.ASCII.GetBytes("0,1\n1.0,0\n"));
        var t = c.ToTrace(3.0);
        Assert.Equal(100, t.SampleRateHz);
        Assert.Equal(new[] { 1000f, 2000f, float.NaN, 2000f, 1000f }, t.CurrentMicroamps);
        Assert.Equal(new byte[] { 0, 1, 1, 1, 0 }, t.Logic);
        Assert.Equal(1, t.LostSamples);
    }

    [Fact]
    public void Bad_unit_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => TextSampleFormat.Scale("kA"));
        Assert.Contains("'kA'", e.Message);
    }
}

public class TraceResamplerTests
{
    [Fact]
    public void Holds_the_latest_reading_per_slot_and_marks_gaps_lost()
    {
        var samples = new List<TimedSample>
        {
            new(0.000, 10, false), new(0.0011, 20, true), new(0.0019, 30, true), new(0.0100, 40, false),
        };
        var t = TraceResampler.Resample(samples, rateHz: 1000, supplyVolts: 3.3, triggerChannel: 2, maxGapSeconds: 0.003);
        Assert.Equal(11, t.Count); // 0..10 ms
        Assert.Equal(10f, t.CurrentMicroamps[0]);
        Assert.Equal(10f, t.CurrentMicroamps[1]);   // 1 ms: the 1.1 ms reading does not exist yet
        Assert.Equal(30f, t.CurrentMicroamps[2]);
        Assert.Equal(30f, t.CurrentMicroamps[4]);    // 2.1 ms after the last reading: still held
        Assert.True(float.IsNaN(t.CurrentMicroamps[5]));
        Assert.Equal(40f, t.CurrentMicroamps[10]);
        Assert.Equal(5, t.LostSamples);               // slots 5..9
        Assert.Equal(1 << 2, t.Logic[2]);
        Assert.Equal(0, t.Logic[10]);
    }
}

public class MonitorSpecTests
{
    [Fact]
    public void Parses_ina226_with_options()
    {
        var s = MonitorSpec.Parse("ina226:1@0x40,shunt=0.05,gpio=17,avg=4");
        Assert.Equal("ina226", s.Kind);
        Assert.Equal((1, 0x40), s.I2cAddress());
        Assert.Equal(0.05, s.Number("shunt", 0.1));
        Assert.Equal(17, s.Integer("gpio"));
        Assert.Equal(0.4, s.Number("max", 0.4));
    }

    [Theory]
    [InlineData("ina226:1", "BUS@ADDR")]
    [InlineData("ina226:1@0x90", "0x08..0x77")]
    [InlineData("ina219:1@64,foo=1", "no option 'foo'")]
    [InlineData("text:", "needs a PORT")]
    [InlineData("ppk3:/dev/ttyACM0", "unknown kind 'ppk3'")]
    [InlineData("text:/dev/ttyUSB0,rate=fast", "rate='fast' is not a number")]
    public void Bad_specs_say_what_is_wrong(string spec, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => { var m = MonitorSpec.Parse(spec); m.Number("rate", 1); });
        Assert.Contains(expected, e.Message);
    }
}
