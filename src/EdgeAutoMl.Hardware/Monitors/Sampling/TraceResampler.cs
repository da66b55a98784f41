namespace EdgeAutoMl.Hardware.Monitors.Sampling;

/// <summary>
/// Puts irregularly timed readings (a polled I2C sensor, a text stream) on the fixed-rate grid
/// that <see cref="PowerTrace"/> and the energy integrator expect. Each grid slot takes the latest
/// reading at or before it (zero-order hold: what the sensor's register held then). A slot with
/// no reading for longer than <c>maxGapSeconds</c> is lost (NaN), so a stalled poller shows as
/// lost samples rather than as invented current.
/// </summary>
public static class TraceResampler
{
    /// <summary>Resamples <paramref name="samples"/> (sorted by time) at <paramref name="rateHz"/>.</summary>
    public static PowerTrace Resample(IReadOnlyList<TimedSample> samples, double rateHz, double supplyVolts, int triggerChannel, double maxGapSeconds)
    {
        if (rateHz <= 0) throw new ArgumentOutOfRangeException(nameof(rateHz), rateHz, "sample rate must be > 0");
        if (samples.Count == 0) return new PowerTrace(rateHz, supplyVolts, [], [], 0, 0);
        double t0 = samples[0].Seconds, span = samples[^1].Seconds - t0;
        int n = (int)Math.Floor(span * rateHz) + 1;
        var cur = new float[n];
        var logic = new byte[n];
        long lost = 0;
        int j = 0;
        for (int k = 0; k < n; k++)
        {
            double t = t0 + k / rateHz;
            while (j + 1 < samples.Count && samples[j + 1].Seconds <= t + 1e-12) j++;
            var s = samples[j];
            if (t - s.Seconds > maxGapSeconds) { cur[k] = float.NaN; lost++; }
            else cur[k] = s.CurrentMicroamps;
            logic[k] = (byte)(s.Trigger ? 1 << triggerChannel : 0);
        }
        return new PowerTrace(rateHz, supplyVolts, cur, logic, lost, 0);
    }
}
