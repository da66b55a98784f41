namespace EdgeAutoMl.Hardware.Framing;

/// <summary>
/// Consistent Overhead Byte Stuffing (Cheshire &amp; Baker): removes every 0x00 from a frame so
/// that 0x00 can delimit frames on the wire. Written from the paper's definition.
/// </summary>
public static class Cobs
{
    /// <summary>Worst-case encoded length of <paramref name="length"/> input bytes (without the delimiter).</summary>
    public static int MaxEncodedLength(int length) => length + length / 254 + 1;

    /// <summary>Encodes <paramref name="data"/>; the result contains no 0x00 and no trailing delimiter.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data)
    {
        var output = new byte[MaxEncodedLength(data.Length)];
        int written = Encode(data, output);
        return output.AsSpan(0, written).ToArray();
    }

    /// <summary>Encodes into <paramref name="output"/> (at least <see cref="MaxEncodedLength"/> bytes); returns the count written.</summary>
    public static int Encode(ReadOnlySpan<byte> data, Span<byte> output)
    {
        int codeIndex = 0, write = 1;
        byte code = 1;
        foreach (byte b in data)
        {
            if (b == 0)
            {
                output[codeIndex] = code;
                codeIndex = write++;
                code = 1;
                continue;
            }
            output[write++] = b;
            if (++code == 0xFF)
            {
                // A full 254-byte block ends without an implied zero.
                output[codeIndex] = code;
                codeIndex = write++;
                code = 1;
            }
        }
        output[codeIndex] = code;
        return write;
    }

    /// <summary>
    /// Decodes one COBS block sequence (no delimiter). Returns false when the input contains a 0x00
    /// or a code byte points past the end, i.e. the bytes cannot be a COBS encoding.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, out byte[] decoded)
    {
        decoded = [];
        if (encoded.Length == 0) return false;
        var output = new byte[encoded.Length];
        int read = 0, write = 0;
        while (read < encoded.Length)
        {
            byte code = encoded[read++];
            if (code == 0 || read + code - 1 > encoded.Length) return false;
            for (int i = 1; i < code; i++)
            {
                byte b = encoded[read++];
                if (b == 0) return false;
                output[write++] = b;
            }
            // The implied zero follows every block except a full one and the last one.
            if (code != 0xFF && read < encoded.Length) output[write++] = 0;
        }
        decoded = output.AsSpan(0, write).ToArray();
        return true;
    }
}
