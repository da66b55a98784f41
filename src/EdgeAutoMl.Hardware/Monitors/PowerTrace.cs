namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>
/// A captured current trace at a fixed sample rate. Sample i was taken at <c>i / SampleRateHz</c>
/// seconds after the first; samples the monitor lost are present as NaN current so that time stays
/// exact, and counted in <see cref="LostSamples"/>.
/// </summary>
/// <param name="SampleRateHz">Samples per second.</param>
/// <param name="SupplyVolts">Supply voltage during the capture.</param>
/// <param name="CurrentMicroamps">Current per sample in µA; NaN where the sample was lost.</param>
/// <param name="Logic">Digital channels per sample (bit k = channel Dk).</param>
/// <param name="LostSamples">Samples known to be lost (from the monitor's sample counter).</param>
/// <param name="Resyncs">Times the decoder had to find the sample alignment again after a byte slip.</param>
public sealed record PowerTrace(double SampleRateHz, double SupplyVolts, float[] CurrentMicroamps, byte[] Logic, long LostSamples, long Resyncs)
{
    /// <summary>Number of sample slots (lost ones included).</summary>
    public int Count => CurrentMicroamps.Length;
    /// <summary>Time of sample <paramref name="index"/> in seconds from the first sample.</summary>
    public double TimeOf(int index) => index / SampleRateHz;
    /// <summary>Duration covered by the trace in seconds.</summary>
    public double DurationSeconds => Count / SampleRateHz;
    /// <summary>Whether digital channel <paramref name="channel"/> is high at sample <paramref name="index"/>.</summary>
    public bool IsHigh(int index, int channel) => (Logic[index] >> channel & 1) != 0;
}
