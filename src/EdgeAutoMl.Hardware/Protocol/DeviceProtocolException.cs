namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>
/// The device answered a command with a NAK, or gave no valid answer within the retries.
/// The message names the port, command, seq, status and the device's detail.
/// </summary>
public sealed class DeviceProtocolException : Exception
{
    /// <summary>Creates the exception; the message is built from the fields.</summary>
    public DeviceProtocolException(string port, CommandCode command, ushort seq, DeviceStatus? status, uint? detailCode, string detail)
        : base(BuildMessage(port, command, seq, status, detailCode, detail))
    {
        Port = port; Command = command; Seq = seq; Status = status; DetailCode = detailCode; Detail = detail;
    }

    /// <summary>Port the device is on.</summary>
    public string Port { get; }
    /// <summary>The command that failed.</summary>
    public CommandCode Command { get; }
    /// <summary>Its sequence number.</summary>
    public ushort Seq { get; }
    /// <summary>The NAK status, or null when no valid response arrived (timeouts / bad frames).</summary>
    public DeviceStatus? Status { get; }
    /// <summary>The u32 detail of a NAK payload (e.g. the loader's failing op index), if any.</summary>
    public uint? DetailCode { get; }
    /// <summary>Why the last attempt failed (timeout or bad frame) when no valid response arrived; null for a NAK.</summary>
    public string? LastFailure { get; init; }
    /// <summary>The device's ASCII reason, or the host's account of the retries.</summary>
    public string Detail { get; }

    private static string BuildMessage(string port, CommandCode command, ushort seq, DeviceStatus? status, uint? detailCode, string detail)
    {
        string head = $"{ProtocolNames.Of(command)} (seq {seq}) on {port}";
        string what = status is { } s ? $"NAK {ProtocolNames.Of(s)} ({(byte)s})" : "failed";
        string code = detailCode is { } d ? $" detail {d}" : "";
        return $"{head}: {what}{code}{(detail.Length > 0 ? ": " + detail : "")}";
    }
}
