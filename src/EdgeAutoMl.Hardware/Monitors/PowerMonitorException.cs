namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>A power monitor misbehaved: silent, unparseable metadata, no samples. The message names the monitor and port.</summary>
public sealed class PowerMonitorException(string message, Exception? inner = null) : Exception(message, inner);
