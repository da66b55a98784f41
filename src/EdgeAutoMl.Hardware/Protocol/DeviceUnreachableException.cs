namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>The port cannot be opened or went away (unplugged board, exited simulator).</summary>
public sealed class DeviceUnreachableException : Exception
{
    /// <summary>Creates the exception for <paramref name="port"/>.</summary>
    public DeviceUnreachableException(string port, string message, Exception? inner = null) : base(message, inner) => Port = port;

    /// <summary>The port path, e.g. /dev/ttyACM0.</summary>
    public string Port { get; }
}
