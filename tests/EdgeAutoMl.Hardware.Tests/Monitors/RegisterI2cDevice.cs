using System.Device.I2c;

namespace EdgeAutoMl.Hardware.Tests.Monitors;

/// <summary>
/// An I2C device with 16-bit big-endian registers, as the INA2xx family has: a write of one byte
/// sets the pointer, a write of three sets a register; reads return the pointed register. Values
/// are recorded register contents, and every write is logged.
/// </summary>
internal sealed class RegisterI2cDevice(int bus, int address, Dictionary<byte, ushort> registers) : I2cDevice
{
    private byte _pointer;
    public List<(byte Register, ushort Value)> Writes { get; } = [];
    public Dictionary<byte, ushort> Registers { get; } = registers;

    public override I2cConnectionSettings ConnectionSettings { get; } = new(bus, address);
    public override byte ReadByte() => throw new NotSupportedException();
    public override void WriteByte(byte value) => _pointer = value;

    public override void Read(Span<byte> buffer)
    {
        if (!Registers.TryGetValue(_pointer, out var v)) throw new IOException($"register 0x{_pointer:X2} not recorded");
        buffer[0] = (byte)(v >> 8);
        if (buffer.Length > 1) buffer[1] = (byte)v;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _pointer = buffer[0];
        if (buffer.Length == 3)
        {
            ushort v = (ushort)(buffer[1] << 8 | buffer[2]);
            Writes.Add((_pointer, v));
            Registers[_pointer] = v;
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }
}
