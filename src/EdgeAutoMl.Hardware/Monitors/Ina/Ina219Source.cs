using System.Device.I2c;
using Iot.Device.Adc;

namespace EdgeAutoMl.Hardware.Monitors.Ina;

/// <summary>
/// An INA219 through the Iot.Device.Bindings driver, calibrated for our shunt:
/// CAL = trunc(0.04096 / (Current_LSB · R_shunt)) (datasheet SBOS448, §8.5.1).
/// </summary>
public sealed class Ina219Source : ICurrentSource
{
    private readonly Ina219 _chip;

    /// <summary>Programs the chip for <paramref name="shuntOhms"/> and currents up to <paramref name="maxCurrentAmps"/>.</summary>
    /// <exception cref="PowerMonitorException">The chip does not answer (bus and address named).</exception>
    public Ina219Source(I2cDevice device, double shuntOhms, double maxCurrentAmps = 0.4)
    {
        var where = $"I2C bus {device.ConnectionSettings.BusId} address 0x{device.ConnectionSettings.DeviceAddress:X2}";
        CurrentLsbAmps = maxCurrentAmps / 32768.0;
        ushort cal = Calibration(shuntOhms, CurrentLsbAmps);
        try
        {
            _chip = new Ina219(device);
            _chip.Reset();
            _chip.BusVoltageRange = Ina219BusVoltageRange.Range16v;
            _chip.PgaSensitivity = Ina219PgaSensitivity.PlusOrMinus40mv; // ±40 mV: 400 mA over 0.1 Ω, the MCU range
            _chip.ShuntAdcResolutionOrSamples = Ina219AdcResolutionOrSamples.Adc12Bit;
            _chip.OperatingMode = Ina219OperatingMode.ShuntAndBusContinuous;
            _chip.SetCalibration(cal, (float)CurrentLsbAmps);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        { throw new PowerMonitorException($"INA219 on {where}: no answer ({e.Message}); check wiring, pull-ups and the address", e); }
        Name = $"INA219 on {where} (shunt {shuntOhms} Ω)";
    }

    /// <summary>Current per LSB in amps.</summary>
    public double CurrentLsbAmps { get; }
    /// <inheritdoc/>
    public string Name { get; }
    /// <inheritdoc/>
    public double UpdatePeriodSeconds => 2 * 532e-6; // 12-bit shunt + bus conversions, 532 µs each

    /// <summary>The INA219 calibration register for a shunt and current LSB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside the register's range 1..65534 (bit 0 is unused).</exception>
    public static ushort Calibration(double shuntOhms, double currentLsbAmps)
    {
        double cal = Math.Floor(0.04096 / (currentLsbAmps * shuntOhms));
        if (shuntOhms <= 0 || cal < 2 || cal > 0xFFFE)
            throw new ArgumentOutOfRangeException(nameof(currentLsbAmps), $"INA219 calibration {cal} for shunt {shuntOhms} Ω and LSB {currentLsbAmps} A is outside 2..65534");
        return (ushort)((ushort)cal & 0xFFFE);
    }

    /// <inheritdoc/>
    public double ReadCurrentMicroamps() => _chip.ReadCurrent().Microamperes;

    /// <inheritdoc/>
    public void Dispose() => _chip.Dispose();
}
