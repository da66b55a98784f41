namespace EdgeAutoMl.Hardware.Monitors.Ina;

/// <summary>
/// How an INA226 is set up: shunt, current resolution, conversion time and averaging. Turns
/// them into the configuration and calibration register values (datasheet SBOS547, §7.5).
/// </summary>
public sealed record Ina226Settings
{
    /// <summary>Averaging counts by AVG code 0..7.</summary>
    public static readonly int[] AveragingCounts = [1, 4, 16, 64, 128, 256, 512, 1024];
    /// <summary>Conversion times in µs by VBUSCT/VSHCT code 0..7.</summary>
    public static readonly int[] ConversionMicros = [140, 204, 332, 588, 1100, 2116, 4156, 8244];

    /// <summary>Shunt resistance in ohms.</summary>
    public double ShuntOhms { get; init; } = 0.1;
    /// <summary>Current per LSB of the current register, in amps; null = max expected current / 2^15.</summary>
    public double? CurrentLsbAmps { get; init; }
    /// <summary>Largest current expected, in amps (sets the default current LSB).</summary>
    public double MaxCurrentAmps { get; init; } = 0.4;
    /// <summary>Samples averaged per reading: 1, 4, 16, 64, 128, 256, 512 or 1024.</summary>
    public int Averaging { get; init; } = 1;
    /// <summary>Shunt (and bus) conversion time in µs: 140, 204, 332, 588, 1100, 2116, 4156 or 8244.</summary>
    public int ConversionMicroseconds { get; init; } = 140;

    /// <summary>The current LSB actually used, in amps.</summary>
    public double EffectiveCurrentLsb => CurrentLsbAmps ?? MaxCurrentAmps / 32768.0;

    /// <summary>
    /// CAL = 0.00512 / (Current_LSB · R_shunt), truncated; the chip's current register is then
    /// shunt_register · CAL / 2048 in units of Current_LSB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value does not fit the 15-bit register.</exception>
    public ushort CalibrationRegister()
    {
        if (ShuntOhms <= 0) throw new ArgumentOutOfRangeException(nameof(ShuntOhms), ShuntOhms, "INA226 shunt must be > 0 Ω");
        double cal = Math.Floor(0.00512 / (EffectiveCurrentLsb * ShuntOhms));
        if (cal < 1 || cal > 0x7FFF)
            throw new ArgumentOutOfRangeException(nameof(CurrentLsbAmps), EffectiveCurrentLsb,
                $"INA226 calibration {cal} for shunt {ShuntOhms} Ω and current LSB {EffectiveCurrentLsb} A is outside 1..32767: choose another LSB or max current");
        return (ushort)cal;
    }

    /// <summary>
    /// Configuration register: AVG (bits 11-9), VBUSCT (8-6), VSHCT (5-3), MODE (2-0) = 0b111,
    /// shunt and bus continuous; bit 14 is the reserved bit the chip reads as 1.
    /// </summary>
    public ushort ConfigurationRegister()
    {
        int avg = Array.IndexOf(AveragingCounts, Averaging);
        if (avg < 0) throw new ArgumentOutOfRangeException(nameof(Averaging), Averaging, "INA226 averaging must be one of " + string.Join(", ", AveragingCounts));
        int ct = Array.IndexOf(ConversionMicros, ConversionMicroseconds);
        if (ct < 0) throw new ArgumentOutOfRangeException(nameof(ConversionMicroseconds), ConversionMicroseconds, "INA226 conversion time (µs) must be one of " + string.Join(", ", ConversionMicros));
        return (ushort)(0x4000 | avg << 9 | ct << 6 | ct << 3 | 0b111);
    }

    /// <summary>Time between new readings in continuous shunt+bus mode: (bus + shunt conversion) × averaging.</summary>
    public double UpdatePeriodSeconds => 2.0 * ConversionMicroseconds * 1e-6 * Averaging;

    /// <summary>Current register (two's complement) → amps.</summary>
    public double CurrentAmps(ushort register) => (short)register * EffectiveCurrentLsb;

    /// <summary>Shunt voltage register (two's complement, 2.5 µV/LSB) → volts.</summary>
    public static double ShuntVolts(ushort register) => (short)register * 2.5e-6;

    /// <summary>Bus voltage register (1.25 mV/LSB, positive) → volts.</summary>
    public static double BusVolts(ushort register) => (register & 0x7FFF) * 1.25e-3;
}
