using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeAutoMl.Model.Data;

/// <summary>
/// Reads NumPy .npy files (format versions 1.0, 2.0 and 3.0 headers), C order, little-endian
/// float32 / int64 / int32. Anything else is refused with a <see cref="DataFormatException"/>
/// rather than guessed at.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    // A sanity bound: an array file larger than this is not a calibration or validation set.
    private const long MaxElements = 1L << 28;

    /// <summary>Reads an .npy file of any supported type.</summary>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        using var s = File.OpenRead(path);
        return Read(s, path);
    }

    /// <summary>Reads a float32 .npy file (int types are refused: the caller expects inputs).</summary>
    public static NpyArray ReadFloat32(string path)
    {
        var a = Read(path);
        if (a.DType != NpyDType.Float32)
            throw new DataFormatException(path, $"expected float32 ('<f4') data, found {a.DType}");
        return a;
    }

    /// <summary>Reads an .npy array from a stream; <paramref name="source"/> names it in errors.</summary>
    public static NpyArray Read(Stream stream, string source)
    {
        var pre = ReadExactly(stream, 8, source, "preamble");
        if (!pre.AsSpan(0, 6).SequenceEqual(Magic))
            throw new DataFormatException(source, "not an .npy file (bad magic)");
        int major = pre[6];
        int headerLen;
        if (major == 1) headerLen = BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, source, "header length"));
        else if (major is 2 or 3)
        {
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, source, "header length"));
            if (len > 1 << 20) throw new DataFormatException(source, $"header length {len} is implausible");
            headerLen = (int)len;
        }
        else throw new DataFormatException(source, $"unsupported .npy format version {major}.{pre[7]}");

        var headerBytes = ReadExactly(stream, headerLen, source, "header");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, source);
        if (fortran) throw new DataFormatException(source, "Fortran-order arrays are not supported; save with np.ascontiguousarray");

        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > MaxElements) throw new DataFormatException(source, $"array of shape ({string.Join(",", shape)}) is too large");
        }
        int n = (int)count;
        switch (descr)
        {
            case "<f4":
            {
                var raw = ReadExactly(stream, n * 4, source, "data");
                var data = new float[n];
                for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4));
                return new NpyArray(shape, data);
            }
            case "<i8":
            {
                var raw = ReadExactly(stream, n * 8, source, "data");
                var data = new long[n];
                for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8));
                return new NpyArray(shape, data);
            }
            case "<i4":
            {
                var raw = ReadExactly(stream, n * 4, source, "data");
                var data = new int[n];
                for (int i = 0; i < n; i++) data[i] = BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(i * 4));
                return new NpyArray(shape, data);
            }
            default:
                throw new DataFormatException(source, $"unsupported dtype '{descr}' (supported: '<f4' float32, '<i8' int64, '<i4' int32)");
        }
    }

    private static (string descr, bool fortran, int[] shape) ParseHeader(string header, string source)
    {
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shape = ShapeRegex().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new DataFormatException(source, $"malformed .npy header: {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new DataFormatException(source, $"bad dimension '{t}' in .npy header"))
            .ToArray();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static byte[] ReadExactly(Stream s, int n, string source, string what)
    {
        var buf = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.Read(buf, got, n - got);
            if (r == 0) throw new DataFormatException(source, $"truncated .npy file: {what} needs {n} bytes, got {got}");
            got += r;
        }
        return buf;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
