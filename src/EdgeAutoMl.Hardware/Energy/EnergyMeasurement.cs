namespace EdgeAutoMl.Hardware.Energy;

/// <summary>Energy per inference over the trigger windows of one capture.</summary>
/// <param name="Windows">Complete windows (ones cut by the start or end of the capture are left out).</param>
/// <param name="MeanEnergyMicrojoules">Mean energy per window.</param>
/// <param name="StdDevEnergyMicrojoules">Sample standard deviation of the energy (0 for one window).</param>
/// <param name="MeanDurationSeconds">Mean window duration.</param>
/// <param name="StdDevDurationSeconds">Sample standard deviation of the duration.</param>
/// <param name="SupplyVolts">Voltage used for V·I.</param>
public sealed record EnergyMeasurement(IReadOnlyList<TriggerWindow> Windows, double MeanEnergyMicrojoules, double StdDevEnergyMicrojoules,
    double MeanDurationSeconds, double StdDevDurationSeconds, double SupplyVolts);
