namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>
/// A monitor that may have no trigger line wired. Without one the capture is a single window
/// and the energy per inference comes from the firmware's cycle count instead (mean current ×
/// supply × run time).
/// </summary>
public interface ITriggerAware
{
    /// <summary>True when a trigger input is wired and reported.</summary>
    bool HasTrigger { get; }
}
