using System.Buffers.Binary;
using System.Device.I2c;

namespace EdgeAutoMl.Hardware.Monitors.Ina;

/// <summary>
/// A small INA226 driver over <see cref="I2cDevice"/> (the Iot.Device.Bindings package has none):
/// checks the chip's ids, writes configuration and calibration, reads current, shunt and bus
/// voltage. Registers are 16-bit big-endian, selected by writing the pointer byte first.
/// </summary>
public sealed class Ina226 : ICurrentSource
{
    /// <summary>Register addresses.</summary>
    public const byte Configuration = 0x00, ShuntVoltage = 0x01, BusVoltage = 0x02, Power = 0x03, Current = 0x04, Calibration = 0x05,
        ManufacturerId = 0xFE, DieId = 0xFF;
    /// <summary>"TI" in ASCII, as the manufacturer id register reads.</summary>
    public const ushort TexasInstruments = 0x5449;

    private readonly I2cDevice _device;
    private readonly bool _ownsDevice;

    /// <summary>Opens the chip, checks its manufacturer id and programs <paramref name="settings"/>.</summary>
    /// <exception cref="PowerMonitorException">No INA226 answers at the address (the message names bus and address).</exception>
    public Ina226(I2cDevice device, Ina226Settings settings, bool ownsDevice = true)
    {
        _device = device; _ownsDevice = ownsDevice; Settings = settings;
        var where = $"I2C bus {device.ConnectionSettings.BusId} address 0x{device.ConnectionSettings.DeviceAddress:X2}";
        ushort id;
        try { id = ReadRegister(ManufacturerId); }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        { throw new PowerMonitorException($"INA226 on {where}: no answer ({e.Message}); check wiring, pull-ups and the address (A0/A1 pins)", e); }
        if (id != TexasInstruments)
            throw new PowerMonitorException($"INA226 on {where}: manufacturer id 0x{id:X4}, expected 0x{TexasInstruments:X4}: another chip at this address?");
        WriteRegister(Configuration, 0x8000); // reset to defaults first: a previous run may have left averaging on
        WriteRegister(Configuration, settings.ConfigurationRegister());
        WriteRegister(Calibration, settings.CalibrationRegister());
        Name = $"INA226 on {where} (shunt {settings.ShuntOhms} Ω)";
    }

    /// <summary>The settings programmed into the chip.</summary>
    public Ina226Settings Settings { get; }
    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public double UpdatePeriodSeconds => Settings.UpdatePeriodSeconds;

    /// <inheritdoc/>
    public double ReadCurrentMicroamps() => Settings.CurrentAmps(ReadRegister(Current)) * 1e6;
    /// <summary>Bus (supply) voltage in volts.</summary>
    public double ReadBusVolts() => Ina226Settings.BusVolts(ReadRegister(BusVoltage));
    /// <summary>Shunt voltage in volts.</summary>
    public double ReadShuntVolts() => Ina226Settings.ShuntVolts(ReadRegister(ShuntVoltage));

    /// <summary>Reads one 16-bit register.</summary>
    public ushort ReadRegister(byte register)
    {
        Span<byte> rx = stackalloc byte[2];
        _device.WriteRead([register], rx);
        return BinaryPrimitives.ReadUInt16BigEndian(rx);
    }

    /// <summary>Writes one 16-bit register.</summary>
    public void WriteRegister(byte register, ushort value) =>
        _device.Write([register, (byte)(value >> 8), (byte)value]);

    /// <inheritdoc/>
    public void Dispose() { if (_ownsDevice) _device.Dispose(); }
}
