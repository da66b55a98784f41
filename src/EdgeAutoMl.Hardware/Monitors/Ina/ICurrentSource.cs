namespace EdgeAutoMl.Hardware.Monitors.Ina;

/// <summary>A current sensor read by polling (INA219, INA226): one reading per call.</summary>
public interface ICurrentSource : IDisposable
{
    /// <summary>Human-readable identity for messages.</summary>
    string Name { get; }
    /// <summary>Time between new readings of the sensor's ADC, in seconds (polling faster repeats values).</summary>
    double UpdatePeriodSeconds { get; }
    /// <summary>The latest current reading in µA.</summary>
    double ReadCurrentMicroamps();
}
