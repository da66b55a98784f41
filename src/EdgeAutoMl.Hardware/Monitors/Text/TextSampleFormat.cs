using System.Globalization;

namespace EdgeAutoMl.Hardware.Monitors.Text;

/// <summary>
/// The line format of a text-stream monitor (a multimeter, an Arduino with a shunt amplifier, a
/// logger printing one reading per line): columns split by commas, semicolons or tabs;
/// the current in <see cref="CurrentColumn"/> in <see cref="Unit"/>, an optional 0/1 trigger in
/// <see cref="TriggerColumn"/>. A unit suffix on the number ("12.5mA") overrides the default.
/// </summary>
public sealed record TextSampleFormat
{
    /// <summary>Default unit: "uA", "mA" or "A".</summary>
    public string Unit { get; init; } = "mA";
    /// <summary>Readings per second the instrument sends (lines carry no timestamps).</summary>
    public double RateHz { get; init; } = 1000;
    /// <summary>0-based column of the current.</summary>
    public int CurrentColumn { get; init; }
    /// <summary>0-based column of the trigger level, or null when the stream has none.</summary>
    public int? TriggerColumn { get; init; }

    // Not the space: meters print "350 uA", a number and its unit.
    private static readonly char[] Separators = [',', ';', '\t'];

    /// <summary>µA per unit.</summary>
    public static double Scale(string unit) => unit.ToLowerInvariant() switch
    {
        "ua" or "µa" => 1, "ma" => 1e3, "a" => 1e6, "na" => 1e-3,
        _ => throw new ArgumentException($"text monitor unit '{unit}': expected nA, uA, mA or A"),
    };

    /// <summary>
    /// Parses one line. Returns false for a line that is not a reading (a header, a blank, a
    /// garbled line): the caller counts it as a lost sample, since the instrument sent one.
    /// </summary>
    public bool TryParse(string line, out float microamps, out bool? trigger)
    {
        microamps = float.NaN; trigger = null;
        var cols = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (cols.Length <= CurrentColumn) return false;
        if (!TryValue(cols[CurrentColumn], out double ua)) return false;
        if (TriggerColumn is { } tc)
        {
            if (cols.Length <= tc) return false;
            if (cols[tc] is "1" or "H" or "h" or "true") trigger = true;
            else if (cols[tc] is "0" or "L" or "l" or "false") trigger = false;
            else return false;
        }
        microamps = (float)ua;
        return true;
    }

    private bool TryValue(string text, out double microamps)
    {
        microamps = 0;
        text = text.Trim();
        int end = text.Length;
        while (end > 0 && char.IsLetter(text[end - 1]) || end > 0 && text[end - 1] == 'µ') end--;
        string unit = end < text.Length ? text[end..] : Unit;
        double scale;
        try { scale = Scale(unit); } catch (ArgumentException) { return false; }
        if (!double.TryParse(text.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v)) return false;
        microamps = v * scale;
        return true;
    }
}
