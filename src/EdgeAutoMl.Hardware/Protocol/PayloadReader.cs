using System.Buffers.Binary;

namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>Little-endian reader over a response payload that names the field it ran out at.</summary>
internal ref struct PayloadReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _context;
    private int _pos;

    public PayloadReader(ReadOnlySpan<byte> data, string context) { _data = data; _context = context; _pos = 0; }

    public int Remaining => _data.Length - _pos;

    private ReadOnlySpan<byte> Take(int n, string field)
    {
        if (_pos + n > _data.Length)
            throw new InvalidDataException($"{_context}: payload of {_data.Length} bytes ends before field '{field}' (needs {n} bytes at offset {_pos})");
        var s = _data.Slice(_pos, n);
        _pos += n;
        return s;
    }

    public byte U8(string field) => Take(1, field)[0];
    public ushort U16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));
    public uint U32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));
    public ulong U64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));
    public ReadOnlySpan<byte> Bytes(int n, string field) => Take(n, field);
    public ReadOnlySpan<byte> Rest() { var s = _data[_pos..]; _pos = _data.Length; return s; }
}
