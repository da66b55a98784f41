using EdgeAutoMl.Hardware.Monitors;

namespace EdgeAutoMl.Hardware.Energy;

/// <summary>
/// Integrates a power trace over the windows where the trigger channel is high:
/// energy per window = Σ V·I·dt (V in volts, I in µA, dt = 1 / sample rate → µJ).
/// </summary>
public static class EnergyIntegrator
{
    /// <summary>Measures every complete trigger window of <paramref name="trace"/>.</summary>
    /// <param name="trace">The capture.</param>
    /// <param name="triggerChannel">Digital channel carrying the trigger (0 = D0).</param>
    /// <param name="supplyVolts">Overrides the trace's supply voltage.</param>
    /// <exception cref="InvalidOperationException">No complete window is in the trace.</exception>
    public static EnergyMeasurement Integrate(PowerTrace trace, int triggerChannel = 0, double? supplyVolts = null)
    {
        if (triggerChannel is < 0 or > 7) throw new ArgumentOutOfRangeException(nameof(triggerChannel), triggerChannel, "PPK2 logic channels are D0..D7");
        double volts = supplyVolts ?? trace.SupplyVolts;
        double dt = 1.0 / trace.SampleRateHz;
        var windows = new List<TriggerWindow>();
        int i = 0, n = trace.Count;
        // A window already high at the first sample began before the capture: skip it.
        while (i < n && trace.IsHigh(i, triggerChannel)) i++;
        double lastValid = FirstValid(trace);
        while (i < n)
        {
            if (!trace.IsHigh(i, triggerChannel))
            {
                if (!float.IsNaN(trace.CurrentMicroamps[i])) lastValid = trace.CurrentMicroamps[i];
                i++;
                continue;
            }
            int start = i;
            double sumUa = 0;
            int lost = 0;
            for (; i < n && trace.IsHigh(i, triggerChannel); i++)
            {
                float c = trace.CurrentMicroamps[i];
                if (float.IsNaN(c)) { lost++; c = (float)lastValid; } else lastValid = c;
                sumUa += c;
            }
            if (i == n) break; // still high at the end: the window was cut off
            int length = i - start;
            windows.Add(new TriggerWindow(start, length, start * dt, length * dt, volts * sumUa * dt, sumUa / length, lost));
        }
        if (windows.Count == 0)
            throw new InvalidOperationException(
                $"no complete trigger window on channel D{triggerChannel} in {n} samples ({trace.DurationSeconds * 1000:0.###} ms at {trace.SampleRateHz:0} Hz); " +
                "was the trigger enabled in RUN, and is each inference longer than one sample period?");
        var (meanE, sdE) = MeanStd(windows.Select(w => w.EnergyMicrojoules));
        var (meanT, sdT) = MeanStd(windows.Select(w => w.DurationSeconds));
        return new EnergyMeasurement(windows, meanE, sdE, meanT, sdT, volts);
    }

    private static double FirstValid(PowerTrace trace)
    {
        foreach (var c in trace.CurrentMicroamps) if (!float.IsNaN(c)) return c;
        return 0;
    }

    private static (double Mean, double StdDev) MeanStd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        if (v.Length < 2) return (mean, 0);
        double ss = v.Sum(x => (x - mean) * (x - mean));
        return (mean, Math.Sqrt(ss / (v.Length - 1)));
    }
}
