using System.Buffers.Binary;
using System.IO.Hashing;

namespace EdgeAutoMl.Hardware.Framing;

/// <summary>
/// Encodes frames to wire bytes (COBS + trailing 0x00) and decodes the bytes between delimiters,
/// exactly as firmware/PROTOCOL.md v1 specifies.
/// </summary>
public static class FrameCodec
{
    /// <summary>Builds the wire bytes of one frame, including the closing 0x00.</summary>
    /// <exception cref="ArgumentException">The payload exceeds <see cref="Frame.MaxPayload"/>.</exception>
    public static byte[] Encode(FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > Frame.MaxPayload)
            throw new ArgumentException($"payload of {payload.Length} bytes exceeds MAX_PAYLOAD {Frame.MaxPayload} (kind 0x{header.Kind:X2}, seq {header.Seq})", nameof(payload));
        int bodyLength = FrameHeader.Size + payload.Length;
        Span<byte> raw = stackalloc byte[bodyLength + 4];
        raw[0] = FrameHeader.Version;
        raw[1] = header.Kind;
        BinaryPrimitives.WriteUInt16LittleEndian(raw[2..], header.Seq);
        raw[4] = header.Status;
        raw[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(raw[6..], (ushort)payload.Length);
        payload.CopyTo(raw[FrameHeader.Size..]);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[bodyLength..], Crc32.HashToUInt32(raw[..bodyLength]));

        var wire = new byte[Cobs.MaxEncodedLength(raw.Length) + 1];
        int n = Cobs.Encode(raw, wire);
        wire[n] = 0;
        return wire.AsSpan(0, n + 1).ToArray();
    }

    /// <summary>Encodes a <see cref="Frame"/>.</summary>
    public static byte[] Encode(Frame frame) => Encode(frame.Header, frame.Payload);

    /// <summary>
    /// Decodes the bytes between two delimiters (a trailing 0x00, if present, is ignored).
    /// Returns <see cref="FrameDecodeError.None"/> and the frame, or the reason it was rejected.
    /// </summary>
    public static FrameDecodeError TryDecode(ReadOnlySpan<byte> encoded, out Frame? frame)
    {
        frame = null;
        if (encoded.Length > 0 && encoded[^1] == 0) encoded = encoded[..^1];
        if (encoded.Length > Frame.MaxEncodedFrame) return FrameDecodeError.TooLong;
        if (!Cobs.TryDecode(encoded, out var raw)) return FrameDecodeError.BadCobs;
        if (raw.Length < FrameHeader.Size + 4) return FrameDecodeError.TooShort;
        if (raw.Length > Frame.MaxFrame) return FrameDecodeError.TooLong;
        if (raw[0] != FrameHeader.Version) return FrameDecodeError.BadVersion;
        int len = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(6));
        if (len > Frame.MaxPayload || FrameHeader.Size + len + 4 != raw.Length) return FrameDecodeError.BadLength;
        int bodyLength = FrameHeader.Size + len;
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(raw.AsSpan(bodyLength));
        if (Crc32.HashToUInt32(raw.AsSpan(0, bodyLength)) != crc) return FrameDecodeError.BadCrc;

        var header = new FrameHeader(raw[1], BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(2)), raw[4]);
        frame = new Frame(header, raw.AsSpan(FrameHeader.Size, len).ToArray());
        return FrameDecodeError.None;
    }
}
