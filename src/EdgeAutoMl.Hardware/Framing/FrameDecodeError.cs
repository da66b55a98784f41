namespace EdgeAutoMl.Hardware.Framing;

/// <summary>Why bytes between two 0x00 delimiters were not a valid frame.</summary>
public enum FrameDecodeError
{
    /// <summary>The frame decoded fine.</summary>
    None,
    /// <summary>Longer than MAX_FRAME before decoding.</summary>
    TooLong,
    /// <summary>Not a valid COBS encoding.</summary>
    BadCobs,
    /// <summary>Shorter than header + CRC.</summary>
    TooShort,
    /// <summary>Version byte is not 1.</summary>
    BadVersion,
    /// <summary>The header's len disagrees with the decoded length, or exceeds MAX_PAYLOAD.</summary>
    BadLength,
    /// <summary>CRC-32 over header and payload does not match.</summary>
    BadCrc,
}
