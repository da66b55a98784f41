using CsCheck;
using EdgeAutoMl.Hardware.Framing;

namespace EdgeAutoMl.Hardware.Tests.Framing;

public class FrameCodecTests
{
    private static readonly Gen<(byte Kind, ushort Seq, byte Status, byte[] Payload)> AnyFrame =
        Gen.Select(Gen.Byte, Gen.UShort, Gen.Byte, Gen.Byte.Array[0, Frame.MaxPayload]);

    [Fact]
    public void Round_trips_any_header_and_payload()
    {
        AnyFrame.Sample(f =>
        {
            var wire = FrameCodec.Encode(new FrameHeader(f.Kind, f.Seq, f.Status), f.Payload);
            Assert.Equal(0, wire[^1]);
            Assert.Equal(1, wire.Count(b => b == 0));
            Assert.Equal(FrameDecodeError.None, FrameCodec.TryDecode(wire, out var frame));
            Assert.Equal(new FrameHeader(f.Kind, f.Seq, f.Status), frame!.Header);
            Assert.Equal(f.Payload, frame.Payload);
        }, iter: 300);
    }

    [Fact]
    public void Any_single_byte_change_is_rejected()
    {
        Gen.Select(AnyFrame, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]).Sample(t =>
        {
            var (f, where, xor) = t;
            var wire = FrameCodec.Encode(new FrameHeader(f.Kind, f.Seq, f.Status), f.Payload);
            var body = wire[..^1];
            int i = where % body.Length;
            body[i] ^= xor;
            Assert.NotEqual(FrameDecodeError.None, FrameCodec.TryDecode(body, out _));
        }, iter: 500);
    }

    [Fact]
    public void Every_truncation_is_rejected()
    {
        var wire = FrameCodec.Encode(new FrameHeader(0x11, 3, 0), Enumerable.Range(0, 40).Select(i => (byte)i).ToArray());
        for (int len = 0; len < wire.Length - 1; len++)
            Assert.NotEqual(FrameDecodeError.None, FrameCodec.TryDecode(wire.AsSpan(0, len), out _));
    }

    [Fact]
    public void Wrong_version_length_and_crc_are_named()
    {
        static byte[] Raw(byte version, ushort len, int payload, bool fixCrc)
        {
            var raw = new byte[8 + payload + 4];
            raw[0] = version; raw[1] = 0x01; raw[6] = (byte)len; raw[7] = (byte)(len >> 8);
            uint crc = System.IO.Hashing.Crc32.HashToUInt32(raw.AsSpan(0, 8 + payload));
            if (!fixCrc) crc ^= 1;
            BitConverter.GetBytes(crc).CopyTo(raw, 8 + payload);
            return Cobs.Encode(raw);
        }
        Assert.Equal(FrameDecodeError.BadVersion, FrameCodec.TryDecode(Raw(2, 0, 0, true), out _));
        Assert.Equal(FrameDecodeError.BadLength, FrameCodec.TryDecode(Raw(1, 5, 4, true), out _));
        Assert.Equal(FrameDecodeError.BadCrc, FrameCodec.TryDecode(Raw(1, 4, 4, false), out _));
        Assert.Equal(FrameDecodeError.TooShort, FrameCodec.TryDecode(Cobs.Encode(new byte[5]), out _));
        Assert.Equal(FrameDecodeError.TooLong, FrameCodec.TryDecode(Enumerable.Repeat((byte)1, Frame.MaxEncodedFrame + 1).ToArray(), out _));
    }

    [Fact]
    public void Oversized_payload_is_refused_when_encoding()
    {
        var e = Assert.Throws<ArgumentException>(() => FrameCodec.Encode(new FrameHeader(0x11, 9, 0), new byte[Frame.MaxPayload + 1]));
        Assert.Contains("seq 9", e.Message);
    }
}
