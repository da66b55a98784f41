using System.Globalization;

namespace EdgeAutoMl.Hardware.Monitors.Ppk2;

/// <summary>
/// The PPK2's answer to GetMetadata: "key: value" lines ending with "END". Holds the calibration
/// constants per measurement range (0..4) that turn ADC counts into current.
/// </summary>
public sealed class Ppk2Metadata
{
    /// <summary>Number of measurement ranges.</summary>
    public const int Ranges = 5;

    /// <summary>Shunt resistance per range (Ω). Nordic's defaults apply to keys the device omits.</summary>
    public double[] R { get; } = [1031.64, 101.65, 10.15, 0.94, 0.043];
    /// <summary>Gain slope per range.</summary>
    public double[] GS { get; } = [1, 1, 1, 1, 1];
    /// <summary>Gain intercept per range.</summary>
    public double[] GI { get; } = [1, 1, 1, 1, 1];
    /// <summary>ADC offset per range (counts ×4).</summary>
    public double[] O { get; } = [0, 0, 0, 0, 0];
    /// <summary>Supply-dependent correction slope per range.</summary>
    public double[] S { get; } = [0, 0, 0, 0, 0];
    /// <summary>Current intercept per range (A).</summary>
    public double[] I { get; } = [0, 0, 0, 0, 0];
    /// <summary>User gain per range.</summary>
    public double[] UG { get; } = [1, 1, 1, 1, 1];
    /// <summary>Whether the unit was factory calibrated.</summary>
    public bool Calibrated { get; private set; }
    /// <summary>Supply voltage the PPK2 reports, in mV.</summary>
    public int VddMillivolts { get; private set; }
    /// <summary>Hardware revision code.</summary>
    public long HardwareVersion { get; private set; }
    /// <summary>Power mode: 1 = ampere meter, 2 = source meter.</summary>
    public int Mode { get; private set; }
    /// <summary>The "IA" value, if present.</summary>
    public long? IA { get; private set; }

    /// <summary>Parses the metadata text. <paramref name="source"/> names where it came from in errors.</summary>
    /// <exception cref="FormatException">A line or value is malformed, a range index is out of 0..4, or "END" is missing.</exception>
    public static Ppk2Metadata Parse(string text, string source = "PPK2 metadata")
    {
        var m = new Ppk2Metadata();
        bool ended = false;
        int lineNo = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            string line = rawLine.Trim().TrimEnd('\0');
            if (line.Length == 0) continue;
            if (line == "END") { ended = true; break; }
            int colon = line.IndexOf(':');
            if (colon <= 0) throw new FormatException($"{source}, line {lineNo}: expected 'key: value', got '{line}'");
            string key = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Calibrated": m.Calibrated = ParseLong(value, key, source, lineNo) != 0; break;
                case "VDD": m.VddMillivolts = (int)ParseLong(value, key, source, lineNo); break;
                case "HW": m.HardwareVersion = ParseLong(value, key, source, lineNo); break;
                case "mode": m.Mode = (int)ParseLong(value, key, source, lineNo); break;
                case "IA": m.IA = ParseLong(value, key, source, lineNo); break;
                default:
                    if (!m.TrySetRangeConstant(key, ParseDouble(value, key, source, lineNo)))
                    { /* Newer firmware adds keys; unknown ones are not needed for current. */ }
                    break;
            }
        }
        if (!ended) throw new FormatException($"{source}: text does not end with END (got {text.Length} characters)");
        return m;
    }

    private bool TrySetRangeConstant(string key, double value)
    {
        int split = key.Length - 1;
        if (split < 1 || !char.IsAsciiDigit(key[split])) return false;
        int range = key[split] - '0';
        if (range >= Ranges) throw new FormatException($"PPK2 metadata key '{key}': range {range} is outside 0..{Ranges - 1}");
        double[]? target = key[..split] switch
        {
            "R" => R, "GS" => GS, "GI" => GI, "O" => O, "S" => S, "I" => I, "UG" => UG, _ => null,
        };
        if (target is null) return false;
        // Some units report R = 0 for a range (a known calibration fault); keep the default then
        // rather than divide by zero.
        if (target == R && value == 0) return true;
        target[range] = value;
        return true;
    }

    private static long ParseLong(string value, string key, string source, int line) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v
            : throw new FormatException($"{source}, line {line}: '{key}' must be an integer, got '{value}'");

    private static double ParseDouble(string value, string key, string source, int line) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
            : throw new FormatException($"{source}, line {line}: '{key}' must be a number, got '{value}'");

    /// <summary>Nordic's ADC multiplier: 1.8 V reference over 163840 (the ADC value ×4 scale).</summary>
    public const double AdcMultiplier = 1.8 / 163840;

    /// <summary>
    /// Current in µA of one sample, by Nordic's formula (without its display spike filter):
    /// adc = field×4; rwg = (adc − O[r])·(adc_mult / R[r]);
    /// I = UG[r]·(rwg·(GS[r]·rwg + GI[r]) + (S[r]·(vdd/1000) + I[r])).
    /// </summary>
    /// <param name="adcField">The 14-bit ADC field of the sample.</param>
    /// <param name="range">The 3-bit range field (values above 4 are treated as 4, as Nordic does).</param>
    /// <param name="vddMillivolts">The supply voltage in use.</param>
    public double ToMicroamps(int adcField, int range, int vddMillivolts)
    {
        int r = Math.Min(range, Ranges - 1);
        double adc = adcField * 4.0;
        double rwg = (adc - O[r]) * (AdcMultiplier / R[r]);
        double amps = UG[r] * (rwg * (GS[r] * rwg + GI[r]) + (S[r] * (vddMillivolts / 1000.0) + I[r]));
        return amps * 1e6;
    }
}
