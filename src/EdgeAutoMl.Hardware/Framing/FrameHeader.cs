namespace EdgeAutoMl.Hardware.Framing;

/// <summary>The 8-byte header of a protocol v1 frame (see firmware/PROTOCOL.md).</summary>
/// <param name="Kind">Request: command code 0x01..0x7F; response: command | 0x80; 0xFF: bad-frame NAK.</param>
/// <param name="Seq">Chosen by the host, echoed in the response; 0xFFFF in the bad-frame NAK.</param>
/// <param name="Status">0 in requests; in responses 0 = OK, else an error code.</param>
public readonly record struct FrameHeader(byte Kind, ushort Seq, byte Status)
{
    /// <summary>Protocol version carried in every frame.</summary>
    public const byte Version = 1;
    /// <summary>Header size in bytes.</summary>
    public const int Size = 8;
    /// <summary>Kind of the NAK the device sends for a frame that failed COBS, CRC or header checks.</summary>
    public const byte BadFrameKind = 0xFF;
    /// <summary>Bit set in the kind of every response.</summary>
    public const byte ResponseBit = 0x80;

    /// <summary>True for the device's bad-frame NAK.</summary>
    public bool IsBadFrameNak => Kind == BadFrameKind;
    /// <summary>True for a response (ACK or NAK) to a command.</summary>
    public bool IsResponse => (Kind & ResponseBit) != 0;
    /// <summary>The command code with the response bit cleared.</summary>
    public byte Command => (byte)(Kind & 0x7F);
}
