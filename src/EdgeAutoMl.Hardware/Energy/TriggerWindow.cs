namespace EdgeAutoMl.Hardware.Energy;

/// <summary>One stretch of samples during which the trigger channel was high (one inference).</summary>
/// <param name="StartIndex">First sample with the trigger high.</param>
/// <param name="Length">Samples in the window.</param>
/// <param name="StartSeconds">Time of the first sample.</param>
/// <param name="DurationSeconds">Length / sample rate.</param>
/// <param name="EnergyMicrojoules">Σ V·I·dt over the window.</param>
/// <param name="MeanCurrentMicroamps">Mean current over the window.</param>
/// <param name="LostSamples">Samples inside the window that were lost and filled with the previous current.</param>
public sealed record TriggerWindow(int StartIndex, int Length, double StartSeconds, double DurationSeconds,
    double EnergyMicrojoules, double MeanCurrentMicroamps, int LostSamples);
