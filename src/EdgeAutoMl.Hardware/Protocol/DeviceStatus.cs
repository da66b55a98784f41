namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>Status byte of a response (0 = OK; anything else makes it a NAK).</summary>
public enum DeviceStatus : byte
{
    /// <summary>ACK.</summary>
    Ok = 0,
    /// <summary>COBS/CRC/header failure (only in the 0xFF NAK).</summary>
    BadFrame = 1,
    /// <summary>Payload length wrong for the command.</summary>
    BadLength = 2,
    /// <summary>Command code not known.</summary>
    UnknownCmd = 3,
    /// <summary>E.g. MODEL_CHUNK without MODEL_BEGIN.</summary>
    BadState = 4,
    /// <summary>Offset + length beyond the declared size or buffer.</summary>
    OutOfRange = 5,
    /// <summary>MODEL_COMMIT: whole-blob CRC differs from MODEL_BEGIN's.</summary>
    ModelCrc = 6,
    /// <summary>MODEL_COMMIT: the loader rejected the blob.</summary>
    ModelInvalid = 7,
    /// <summary>RUN/SET_INPUT/READ_OUTPUT without a committed model.</summary>
    NoModel = 8,
    /// <summary>Model or arena larger than the device's capacity.</summary>
    TooLarge = 9,
    /// <summary>A field out of its allowed range.</summary>
    BadArg = 10,
}

/// <summary>Protocol names (as PROTOCOL.md spells them) for messages.</summary>
public static class ProtocolNames
{
    /// <summary>E.g. "MODEL_COMMIT".</summary>
    public static string Of(CommandCode command) => command switch
    {
        CommandCode.Identify => "IDENTIFY",
        CommandCode.Reset => "RESET",
        CommandCode.ModelBegin => "MODEL_BEGIN",
        CommandCode.ModelChunk => "MODEL_CHUNK",
        CommandCode.ModelCommit => "MODEL_COMMIT",
        CommandCode.SetInput => "SET_INPUT",
        CommandCode.Run => "RUN",
        CommandCode.ReadOutput => "READ_OUTPUT",
        _ => $"0x{(byte)command:X2}",
    };

    /// <summary>E.g. "MODEL_INVALID".</summary>
    public static string Of(DeviceStatus status) => status switch
    {
        DeviceStatus.Ok => "OK",
        DeviceStatus.BadFrame => "BAD_FRAME",
        DeviceStatus.BadLength => "BAD_LENGTH",
        DeviceStatus.UnknownCmd => "UNKNOWN_CMD",
        DeviceStatus.BadState => "BAD_STATE",
        DeviceStatus.OutOfRange => "OUT_OF_RANGE",
        DeviceStatus.ModelCrc => "MODEL_CRC",
        DeviceStatus.ModelInvalid => "MODEL_INVALID",
        DeviceStatus.NoModel => "NO_MODEL",
        DeviceStatus.TooLarge => "TOO_LARGE",
        DeviceStatus.BadArg => "BAD_ARG",
        _ => $"status {(byte)status}",
    };
}
