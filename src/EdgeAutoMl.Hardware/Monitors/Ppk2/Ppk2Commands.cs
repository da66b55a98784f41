namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>
/// PPK2 serial command opcodes, named as Nordic's pc-nrfconnect-ppk names them (PPKCmd).
/// Each command is the opcode followed by its argument bytes; the PPK2 sends no acknowledgement.
/// </summary>
public static class Ppk2Commands
{
    /// <summary>No operation.</summary>
    public const byte NoOp = 0x00;
    /// <summary>Trigger level set.</summary>
    public const byte TriggerSet = 0x01;
    /// <summary>Averaging count (no firmware support).</summary>
    public const byte AvgNumSet = 0x02;
    /// <summary>Trigger window set.</summary>
    public const byte TriggerWindowSet = 0x03;
    /// <summary>Trigger interval set.</summary>
    public const byte TriggerIntervalSet = 0x04;
    /// <summary>Single trigger.</summary>
    public const byte TriggerSingleSet = 0x05;
    /// <summary>Start streaming samples.</summary>
    public const byte AverageStart = 0x06;
    /// <summary>Stop streaming samples.</summary>
    public const byte AverageStop = 0x07;
    /// <summary>Measurement range set.</summary>
    public const byte RangeSet = 0x08;
    /// <summary>LCD set.</summary>
    public const byte LcdSet = 0x09;
    /// <summary>Trigger stop.</summary>
    public const byte TriggerStop = 0x0A;
    /// <summary>DUT power: argument 1 = on, 0 = off.</summary>
    public const byte DeviceRunningSet = 0x0C;
    /// <summary>Supply voltage: two bytes, millivolts big-endian (vdd &gt;&gt; 8, vdd &amp; 0xFF).</summary>
    public const byte RegulatorSet = 0x0D;
    /// <summary>Range switch point down.</summary>
    public const byte SwitchPointDown = 0x0E;
    /// <summary>Range switch point up.</summary>
    public const byte SwitchPointUp = 0x0F;
    /// <summary>Power mode: argument 1 = ampere meter, 2 = source meter (same opcode as TriggerExtToggle).</summary>
    public const byte SetPowerMode = 0x11;
    /// <summary>User resistor values.</summary>
    public const byte ResUserSet = 0x12;
    /// <summary>Spike filtering on.</summary>
    public const byte SpikeFilteringOn = 0x15;
    /// <summary>Spike filtering off.</summary>
    public const byte SpikeFilteringOff = 0x16;
    /// <summary>Ask for the calibration/metadata text, which ends with "END".</summary>
    public const byte GetMetadata = 0x19;
    /// <summary>Reset the PPK2.</summary>
    public const byte Reset = 0x20;
    /// <summary>User gains per range.</summary>
    public const byte SetUserGains = 0x25;

    /// <summary>Argument of <see cref="SetPowerMode"/> for the ampere meter.</summary>
    public const byte PowerModeAmpere = 1;
    /// <summary>Argument of <see cref="SetPowerMode"/> for the source meter.</summary>
    public const byte PowerModeSource = 2;

    /// <summary>Lowest and highest supply the regulator accepts, in mV.</summary>
    public const int MinMillivolts = 800, MaxMillivolts = 5000;

    /// <summary>The 3 bytes of a RegulatorSet command for <paramref name="millivolts"/> (800..5000).</summary>
    public static byte[] RegulatorSetCommand(int millivolts)
    {
        if (millivolts is < MinMillivolts or > MaxMillivolts)
            throw new ArgumentOutOfRangeException(nameof(millivolts), millivolts, $"PPK2 supply must be within {MinMillivolts}..{MaxMillivolts} mV");
        return [RegulatorSet, (byte)(millivolts >> 8), (byte)(millivolts & 0xFF)];
    }
}
