using EdgeAutoMl.Hardware.Monitors.Ppk2;

namespace EdgeAutoMl.Hardware.Tests.Monitors;

public class Ppk2MetadataTests
{
    internal const string SimpleMetadata =
        "Calibrated: 1\nR0: 1000.0\nR1: 100.0\nR2: 10.0\nR3: 1.0\nR4: 0.05\n" +
        "GS0: 0\nGS1: 0\nGS2: 0\nGS3: 0\nGS4: 0\nGI0: 1\nGI1: 1\nGI2: 1\nGI3: 1\nGI4: 1\n" +
        "O0: 0\nO1: 0\nO2: 0\nO3: 0\nO4: 0\nVDD: 3000\nHW: 4242\nmode: 2\n" +
        "S0: 0\nS1: 0\nS2: 0\nS3: 0\nS4: 0\nI0: 0\nI1: 0\nI2: 0\nI3: 0\nI4: 0\n" +
        "UG0: 1\nUG1: 1\nUG2: 1\nUG3: 1\nUG4: 1\nIA: 7\nEND\n";

    [Fact]
    public void Parses_every_key()
    {
        var m = Ppk2Metadata.Parse(SimpleMetadata);
        Assert.True(m.Calibrated);
        Assert.Equal(3000, m.VddMillivolts);
        Assert.Equal(4242, m.HardwareVersion);
        Assert.Equal(2, m.Mode);
        Assert.Equal(7, m.IA);
        Assert.Equal([1000.0, 100.0, 10.0, 1.0, 0.05], m.R);
        Assert.All(m.GS, v => Assert.Equal(0, v));
    }

    [Fact]
    public void Current_follows_the_formula_by_hand()
    {
        var m = Ppk2Metadata.Parse(SimpleMetadata);
        // adc field 1000 → adc 4000; rwg = 4000 · 1.8/163840 / 1000 Ω = 43.9453125 µA (GS = 0, GI = 1)
        Assert.Equal(43.9453125, m.ToMicroamps(1000, 0, 3000), 9);
        // range 2 (10 Ω): field 8192 → 32768 · 1.8/163840 / 10 = 36 mA
        Assert.Equal(36000.0, m.ToMicroamps(8192, 2, 3000), 6);
        // range fields above 4 are clamped to 4 as Nordic does
        Assert.Equal(m.ToMicroamps(100, 4, 3000), m.ToMicroamps(100, 7, 3000));
    }

    [Fact]
    public void Matches_a_value_computed_by_nordics_own_code()
    {
        // Range-0 constants of a real unit and the result Nordic's JavaScript gives for ADC 108 (field 27)
        // at VDD 3741 mV: 0.021454880761611544 µA (quoted in ppk2-rs's tests).
        var m = Ppk2Metadata.Parse("R0: 1003.3506\nGS0: 0.0000\nGI0: 1.0000\nO0: 112.9420\nS0: 0.000000048\nI0: -0.000000104\nUG0: 1.00\nVDD: 3741\nEND");
        Assert.Equal(0.021454880761611544, m.ToMicroamps(27, 0, 3741), 6); // JS applies its filter state; agreement to 1e-6 µA
    }

    [Fact]
    public void Missing_end_or_bad_values_are_named()
    {
        var e1 = Assert.Throws<FormatException>(() => Ppk2Metadata.Parse("R0: 1\n", "PPK2 on /dev/x"));
        Assert.Contains("END", e1.Message);
        Assert.Contains("/dev/x", e1.Message);
        var e2 = Assert.Throws<FormatException>(() => Ppk2Metadata.Parse("R0: one\nEND"));
        Assert.Contains("'R0'", e2.Message);
        var e3 = Assert.Throws<FormatException>(() => Ppk2Metadata.Parse("R7: 1\nEND"));
        Assert.Contains("R7", e3.Message);
    }

    [Fact]
    public void Regulator_command_is_millivolts_big_endian()
    {
        Assert.Equal(new byte[] { 0x0D, 0x03, 0x20 }, Ppk2Commands.RegulatorSetCommand(800));
        Assert.Equal(new byte[] { 0x0D, 0x0B, 0xB8 }, Ppk2Commands.RegulatorSetCommand(3000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ppk2Commands.RegulatorSetCommand(5001));
    }
}
