using EdgeAutoMl.Hardware.Monitors;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Orchestrator.Tests.Rigs;

public class NoTriggerEnergyTests
{
    private static PowerTrace Trace(float[] ua) => new(100_000, 3.0, ua, new byte[ua.Length], 0, 0);

    [Fact]
    public void Charge_above_idle_over_the_capture_gives_the_energy_of_each_inference()
    {
        // 10 inferences of 50 µs (5 samples each at 100 ksps) at 20 mA, in a 30 ms capture idling at 2 mA.
        var ua = Enumerable.Repeat(2000f, 3000).ToArray();
        for (int r = 0; r < 10; r++)
            for (int k = 0; k < 5; k++) ua[1000 + r * 40 + k] = 20000f;
        var idle = Trace(Enumerable.Repeat(2000f, 4000).ToArray());
        var (uj, se) = DeviceSession.EnergyWithoutTrigger(Trace(ua), idle, 3.0, 50e-6, 10, "test");
        Assert.Equal(3.0 * 20000 * 50e-6, uj, 9); // V · I_active · t = 3 µJ
        Assert.Equal(0, se, 12);
    }

    [Fact]
    public void Lost_samples_are_left_out_and_the_rest_stand_for_the_capture()
    {
        var ua = Enumerable.Repeat(2000f, 3000).ToArray();
        for (int k = 0; k < 50; k++) ua[500 + k] = 20000f;
        for (int k = 2000; k < 2100; k++) ua[k] = float.NaN; // a counter gap in idle time
        var (uj, _) = DeviceSession.EnergyWithoutTrigger(Trace(ua), Trace(Enumerable.Repeat(2000f, 100).ToArray()), 3.0, 50e-6, 10, "test");
        // The 50 active samples are scaled by 3000/2900 for the missing slots: a small, bounded bias.
        Assert.InRange(uj, 3.0, 3.0 * 3000 / 2900 + 1e-9);
    }

    [Fact]
    public void A_noisy_idle_baseline_gives_a_non_zero_standard_error_and_an_empty_one_is_an_error()
    {
        var rng = new Random(1);
        float Noise(float v) => v + (float)(rng.NextDouble() - 0.5) * 400;
        var ua = Enumerable.Range(0, 3000).Select(i => Noise(i is >= 1000 and < 1050 ? 20000f : 2000f)).ToArray();
        var idle = Trace(Enumerable.Range(0, 4000).Select(_ => Noise(2000f)).ToArray());
        var (uj, se) = DeviceSession.EnergyWithoutTrigger(Trace(ua), idle, 3.0, 50e-6, 10, "test");
        Assert.InRange(uj, 3.0 - 4 * se, 3.0 + 4 * se);
        Assert.True(se > 0);
        Assert.Throws<PowerMonitorException>(() =>
            DeviceSession.EnergyWithoutTrigger(Trace(ua), Trace([float.NaN]), 3.0, 50e-6, 10, "test"));
    }
}
