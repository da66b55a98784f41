using System.Buffers.Binary;
using System.Text;

namespace EdgeAutoMl.Model.Data;

/// <summary>Writes .npy files (version 1.0 header, C order, little-endian), the inverse of <see cref="NpyReader"/>.</summary>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="array"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, NpyArray array)
    {
        using var s = File.Create(path);
        Write(s, array);
    }

    /// <summary>Writes <paramref name="array"/> to a stream.</summary>
    public static void Write(Stream s, NpyArray array)
    {
        string descr = array.DType switch { NpyDType.Float32 => "<f4", NpyDType.Int64 => "<i8", _ => "<i4" };
        string shape = array.Shape.Length == 1 ? $"({array.Shape[0]},)" : $"({string.Join(", ", array.Shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad so that magic(6)+version(2)+len(2)+header is a multiple of 64, ending in '\n', as NumPy does.
        int total = 10 + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        s.Write(len);
        s.Write(Encoding.Latin1.GetBytes(header));
        var buf = new byte[array.Length * (array.DType == NpyDType.Int64 ? 8 : 4)];
        for (int i = 0; i < array.Length; i++)
        {
            switch (array.DType)
            {
                case NpyDType.Float32: BinaryPrimitives.WriteSingleLittleEndian(buf.AsSpan(i * 4), array.Float32![i]); break;
                case NpyDType.Int64: BinaryPrimitives.WriteInt64LittleEndian(buf.AsSpan(i * 8), array.Int64![i]); break;
                default: BinaryPrimitives.WriteInt32LittleEndian(buf.AsSpan(i * 4), array.Int32![i]); break;
            }
        }
        s.Write(buf);
    }
}
