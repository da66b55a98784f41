using System.Globalization;

namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>
/// A parsed <c>--monitor</c> value: <c>sim</c>, <c>ppk2:PORT</c>,
/// <c>ina226:BUS@ADDR[,shunt=0.1,gpio=PIN,avg=1,ct=140,max=0.4]</c>, <c>ina219:BUS@ADDR[,shunt=0.1,gpio=PIN,max=0.4]</c>,
/// <c>text:PORT[,unit=mA,rate=1000,baud=115200,col=0,trigger=1]</c>.
/// </summary>
/// <param name="Kind">sim, ppk2, ina226, ina219 or text.</param>
/// <param name="Target">The port, or BUS@ADDR for I2C chips ("" for sim).</param>
/// <param name="Options">key=value options after the target.</param>
/// <param name="Text">The spec as given (for messages).</param>
public sealed record MonitorSpec(string Kind, string Target, IReadOnlyDictionary<string, string> Options, string Text)
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["sim"] = [], ["ppk2"] = [],
        ["ina226"] = ["shunt", "gpio", "avg", "ct", "max"],
        ["ina219"] = ["shunt", "gpio", "max"],
        ["text"] = ["unit", "rate", "baud", "col", "trigger"],
    };

    /// <summary>Parses a spec; the error names the spec, the problem and the accepted forms.</summary>
    public static MonitorSpec Parse(string spec)
    {
        const string forms = "sim, ppk2:PORT, ina226:BUS@ADDR[,shunt=OHMS,gpio=PIN,avg=N,ct=US,max=AMPS], ina219:BUS@ADDR[,shunt=OHMS,gpio=PIN,max=AMPS], text:PORT[,unit=mA,rate=HZ,baud=N,col=N,trigger=N]";
        int colon = spec.IndexOf(':');
        string kind = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant();
        if (!Allowed.TryGetValue(kind, out var keys)) throw new ArgumentException($"--monitor '{spec}': unknown kind '{kind}'; expected {forms}");
        var parts = colon < 0 ? [] : spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
        string target = parts.Length > 0 ? parts[0] : "";
        if (kind != "sim" && target.Length == 0) throw new ArgumentException($"--monitor '{spec}': {kind} needs a {(kind.StartsWith("ina") ? "BUS@ADDR" : "PORT")}; expected {forms}");
        var options = new Dictionary<string, string>();
        foreach (var p in parts.Skip(1))
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new ArgumentException($"--monitor '{spec}': option '{p}' is not key=value");
            var key = p[..eq].ToLowerInvariant();
            if (!keys.Contains(key)) throw new ArgumentException($"--monitor '{spec}': {kind} has no option '{key}' (options: {(keys.Length == 0 ? "none" : string.Join(", ", keys))})");
            options[key] = p[(eq + 1)..];
        }
        var result = new MonitorSpec(kind, target, options, spec);
        if (kind.StartsWith("ina", StringComparison.Ordinal)) result.I2cAddress();
        return result;
    }

    /// <summary>The I2C bus and 7-bit address from BUS@ADDR (address decimal or 0x hex).</summary>
    public (int Bus, int Address) I2cAddress()
    {
        var at = Target.Split('@');
        if (at.Length != 2 || !int.TryParse(at[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int bus) || bus < 0)
            throw new ArgumentException($"--monitor '{Text}': '{Target}' is not BUS@ADDR (e.g. 1@0x40)");
        var a = at[1];
        bool ok = a.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? int.TryParse(a[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int addr)
            : int.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out addr);
        if (!ok || addr < 0x08 || addr > 0x77) throw new ArgumentException($"--monitor '{Text}': I2C address '{a}' must be a 7-bit address 0x08..0x77 (INA2xx: 0x40..0x4F)");
        return (bus, addr);
    }

    /// <summary>A number option, or <paramref name="fallback"/> when absent.</summary>
    public double Number(string key, double fallback)
    {
        if (!Options.TryGetValue(key, out var v)) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
            throw new ArgumentException($"--monitor '{Text}': option {key}='{v}' is not a number");
        return d;
    }

    /// <summary>An integer option, or null when absent.</summary>
    public int? Integer(string key)
    {
        if (!Options.TryGetValue(key, out var v)) return null;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) || i < 0)
            throw new ArgumentException($"--monitor '{Text}': option {key}='{v}' is not a non-negative integer");
        return i;
    }
}
