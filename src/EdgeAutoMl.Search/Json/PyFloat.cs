using System.Globalization;

namespace EdgeAutoMl.Search.Json;

/// <summary>
/// Formats a double the way Python's <c>repr(float)</c> does, so JSON written here is
/// byte-identical to what Optuna's <c>json.dumps</c> writes (e.g. <c>1.0</c>, <c>1e-05</c>, <c>1e+16</c>).
/// </summary>
public static class PyFloat
{
    /// <summary>Python <c>repr</c> of <paramref name="value"/>; NaN/±inf as <c>json.dumps</c> writes them.</summary>
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "Infinity";
        if (double.IsNegativeInfinity(value)) return "-Infinity";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";

        // .NET's "R" gives the shortest round-trip digits; only the layout differs from Python.
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        (string digits, int exponent) = SplitDigits(shortest);
        bool negative = value < 0;
        string body;
        if (exponent >= -4 && exponent < 16)
        {
            // Fixed notation: exponent is the position of the decimal point after the first digit.
            int pointPos = exponent + 1;
            if (pointPos <= 0) body = "0." + new string('0', -pointPos) + digits;
            else if (pointPos >= digits.Length) body = digits + new string('0', pointPos - digits.Length) + ".0";
            else body = digits[..pointPos] + "." + digits[pointPos..];
        }
        else
        {
            string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            body = mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }
        return negative ? "-" + body : body;
    }

    // Returns significant digits (no leading/trailing zeros) and the decimal exponent of the first digit.
    private static (string Digits, int Exponent) SplitDigits(string s)
    {
        if (s.StartsWith('-')) s = s[1..];
        int exp = 0;
        int e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s;
        string fracPart = dot >= 0 ? s[(dot + 1)..] : "";
        string all = intPart + fracPart;
        int firstNonZero = 0;
        while (firstNonZero < all.Length && all[firstNonZero] == '0') firstNonZero++;
        int pointExp = intPart.Length - 1 - firstNonZero + exp;
        string digits = all[firstNonZero..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointExp);
    }
}
