namespace EdgeAutoMl.Hardware.Monitors.Sampling;

/// <summary>One reading of a polled monitor: seconds since capture start, current in µA, trigger level.</summary>
public readonly record struct TimedSample(double Seconds, float CurrentMicroamps, bool Trigger);
