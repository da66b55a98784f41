using EdgeAutoMl.Hardware.Energy;
using EdgeAutoMl.Hardware.Monitors;

namespace EdgeAutoMl.Hardware.Tests.Energy;

public class EnergyIntegratorTests
{
    private static PowerTrace Trace(params (int Length, float Ua, bool High)[] segments)
    {
        var current = new List<float>();
        var logic = new List<byte>();
        foreach (var (len, ua, high) in segments)
            for (int i = 0; i < len; i++) { current.Add(ua); logic.Add((byte)(high ? 0b1 : 0)); }
        return new PowerTrace(100_000, 3.0, current.ToArray(), logic.ToArray(), 0, 0);
    }

    [Fact]
    public void Energy_is_v_times_i_times_t_per_window()
    {
        // 3 V · 20000 µA · 50 samples · 10 µs = 30 µJ; second window 3 V · 10000 µA · 100 · 10 µs = 30 µJ
        var t = Trace((10, 2000, false), (50, 20000, true), (20, 2000, false), (100, 10000, true), (5, 2000, false));
        var m = EnergyIntegrator.Integrate(t);
        Assert.Equal(2, m.Windows.Count);
        Assert.Equal(30.0, m.Windows[0].EnergyMicrojoules, 6);
        Assert.Equal(30.0, m.Windows[1].EnergyMicrojoules, 6);
        Assert.Equal(0.0005, m.Windows[0].DurationSeconds, 9);
        Assert.Equal(10, m.Windows[0].StartIndex);
        Assert.Equal(30.0, m.MeanEnergyMicrojoules, 6);
        Assert.Equal(0.0, m.StdDevEnergyMicrojoules, 9);
        Assert.Equal(0.00075, m.MeanDurationSeconds, 9);
    }

    [Fact]
    public void Spread_is_the_sample_standard_deviation()
    {
        var t = Trace((5, 0, false), (10, 1000, true), (5, 0, false), (10, 3000, true), (5, 0, false));
        var m = EnergyIntegrator.Integrate(t, supplyVolts: 1.0);
        Assert.Equal(0.1, m.Windows[0].EnergyMicrojoules, 9);
        Assert.Equal(0.3, m.Windows[1].EnergyMicrojoules, 9);
        Assert.Equal(0.2, m.MeanEnergyMicrojoules, 9);
        Assert.Equal(Math.Sqrt(0.02), m.StdDevEnergyMicrojoules, 9);
    }

    [Fact]
    public void Windows_cut_by_the_capture_edges_are_left_out()
    {
        var t = Trace((7, 500, true), (5, 0, false), (10, 1000, true), (5, 0, false), (9, 900, true));
        var m = EnergyIntegrator.Integrate(t);
        Assert.Single(m.Windows);
        Assert.Equal(12, m.Windows[0].StartIndex);
    }

    [Fact]
    public void Lost_samples_inside_a_window_hold_the_previous_current()
    {
        var t = Trace((5, 0, false), (4, 1000, true), (5, 0, false));
        t.CurrentMicroamps[7] = float.NaN;
        var m = EnergyIntegrator.Integrate(t, supplyVolts: 1.0);
        Assert.Equal(0.04, m.Windows[0].EnergyMicrojoules, 9);
        Assert.Equal(1, m.Windows[0].LostSamples);
    }

    [Fact]
    public void No_window_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidOperationException>(() => EnergyIntegrator.Integrate(Trace((100, 2000, false)), triggerChannel: 3));
        Assert.Contains("D3", e.Message);
        Assert.Contains("100 samples", e.Message);
    }
}
