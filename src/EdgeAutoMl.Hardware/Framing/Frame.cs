namespace EdgeAutoMl.Hardware.Framing;

/// <summary>One decoded protocol frame: header and payload (the CRC has been verified and removed).</summary>
public sealed record Frame(FrameHeader Header, byte[] Payload)
{
    /// <summary>Largest payload a v1 frame may carry.</summary>
    public const int MaxPayload = 1088;
    /// <summary>Largest frame before COBS: header + payload + CRC-32.</summary>
    public const int MaxFrame = FrameHeader.Size + MaxPayload + 4;
    /// <summary>Largest COBS-encoded frame (without the 0x00 delimiter).</summary>
    public static readonly int MaxEncodedFrame = Cobs.MaxEncodedLength(MaxFrame);

    /// <inheritdoc/>
    public override string ToString() =>
        $"kind 0x{Header.Kind:X2} seq {Header.Seq} status {Header.Status} len {Payload.Length}";
}
