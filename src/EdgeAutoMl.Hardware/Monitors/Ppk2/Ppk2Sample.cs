namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>
/// The fields of one 4-byte little-endian PPK2 sample word: bits 0-13 ADC, 14-16 range,
/// 18-23 a 6-bit sample counter, 24-31 the digital channels D0..D7.
/// </summary>
public readonly record struct Ppk2Sample(int Adc, int Range, int Counter, byte Logic)
{
    /// <summary>The counter wraps at this value.</summary>
    public const int CounterModulo = 64;

    /// <summary>Splits a sample word into its fields.</summary>
    public static Ppk2Sample FromWord(uint word) =>
        new((int)(word & 0x3FFF), (int)(word >> 14 & 0x7), (int)(word >> 18 & 0x3F), (byte)(word >> 24));

    /// <summary>Builds the word of a sample (used by tests and tools that synthesise streams).</summary>
    public uint ToWord() =>
        (uint)(Adc & 0x3FFF) | (uint)(Range & 0x7) << 14 | (uint)(Counter & 0x3F) << 18 | (uint)Logic << 24;
}
