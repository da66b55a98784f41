using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeAutoMl.Hardware.Framing;

namespace EdgeAutoMl.Hardware.Tests.Framing;

/// <summary>Every hex vector of firmware/PROTOCOL.md, encoded and decoded byte for byte.</summary>
public class ProtocolVectorTests
{
    private static byte[] Le(params object[] fields)
    {
        var bytes = new List<byte>();
        foreach (var f in fields)
        {
            switch (f)
            {
                case byte b: bytes.Add(b); break;
                case ushort u: bytes.AddRange(BitConverter.GetBytes(u)); break;
                case uint u: bytes.AddRange(BitConverter.GetBytes(u)); break;
                case byte[] a: bytes.AddRange(a); break;
                default: throw new ArgumentException(f.GetType().Name);
            }
        }
        return bytes.ToArray();
    }

    public static TheoryData<string, byte, ushort, byte, string> Vectors()
    {
        byte[] range8 = [0, 1, 2, 3, 4, 5, 6, 7];
        var identifyResponse = Le((ushort)1, (ushort)0x0001, 168_000_000u, 65536u, 32768u, (ushort)1024, (ushort)4, 0u, 0u, (byte)3, "sim"u8.ToArray());
        return new()
        {
            { "04 01 01 01 01 01 01 01 05 e6 07 a3 c4 00", 0x01, 1, 0, "" },
            { "04 01 81 01 01 01 02 20 02 01 02 01 01 04 7a 03 0a 01 02 01 01 02 80 01 01 03 04 04 01 01 01 01 01 01 01 01 09 03 73 69 6d 5c fe f2 89 00",
              0x81, 1, 0, Hex.Format(identifyResponse) },
            { "04 01 10 02 01 01 02 08 02 08 01 01 09 9f 68 aa 88 7c ee 81 33 00", 0x10, 2, 0, Hex.Format(Le(8u, Crc32.HashToUInt32(range8))) },
            { "04 01 11 03 01 01 02 0c 01 01 01 01 01 0c 01 02 03 04 05 06 07 20 e0 e9 83 00", 0x11, 3, 0, Hex.Format(Le(0u, range8)) },
            { "04 01 21 04 01 01 02 05 02 0a 01 01 06 01 82 7c 20 8e 00", 0x21, 4, 0, Hex.Format(Le(10u, (byte)1)) },
            { "04 01 a1 04 02 08 01 01 05 d4 6d 71 16 00", 0xA1, 4, 8, "" },
            { "06 01 ff ff ff 01 01 01 05 e2 9e a2 ad 00", 0xFF, 0xFFFF, 1, "" },
        };
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encoder_reproduces_the_vector(string wire, byte kind, ushort seq, byte status, string payloadHex)
    {
        var encoded = FrameCodec.Encode(new FrameHeader(kind, seq, status), Convert.FromHexString(payloadHex));
        Assert.Equal(Hex.Format(Hex.Parse(wire)), Hex.Format(encoded));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decoder_reads_the_vector(string wire, byte kind, ushort seq, byte status, string payloadHex)
    {
        var error = FrameCodec.TryDecode(Hex.Parse(wire), out var frame);
        Assert.Equal(FrameDecodeError.None, error);
        Assert.Equal(new FrameHeader(kind, seq, status), frame!.Header);
        Assert.Equal(payloadHex.ToLowerInvariant(), Hex.Format(frame.Payload));
    }

    [Fact]
    public void Crc32_is_the_ieee_zlib_crc()
    {
        Assert.Equal(0xCBF43926u, Crc32.HashToUInt32("123456789"u8));
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32.HashToUInt32(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }));
        Assert.Equal("88aa689f", Hex.Format(crc.Reverse().ToArray()));
    }
}
