using System.Globalization;

namespace EdgeAutoMl.Storage.Sqlite;

/// <summary>How Optuna/SQLAlchemy encode datetimes and non-finite floats in SQLite columns.</summary>
internal static class SqliteCodec
{
    // SQLAlchemy's SQLite DATETIME storage format (naive local time, always with microseconds).
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public static object Date(DateTime? d) =>
        d is { } v ? v.ToString(DateFormat, CultureInfo.InvariantCulture) : DBNull.Value;

    public static DateTime? ParseDate(object value)
    {
        if (value is DBNull or null) return null;
        string s = (string)value;
        string[] formats = [DateFormat, "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"];
        return DateTime.ParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal);
    }

    /// <summary>trial_values: FINITE / INF_POS / INF_NEG with NULL value for infinities.</summary>
    public static (object Value, string Type) EncodeValue(double v) => v switch
    {
        double.PositiveInfinity => (DBNull.Value, "INF_POS"),
        double.NegativeInfinity => (DBNull.Value, "INF_NEG"),
        _ => (v, "FINITE"),
    };

    /// <summary>trial_intermediate_values additionally has NAN.</summary>
    public static (object Value, string Type) EncodeIntermediate(double v) =>
        double.IsNaN(v) ? (DBNull.Value, "NAN") : EncodeValue(v);

    public static double Decode(object value, string type) => type switch
    {
        "FINITE" => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        "INF_POS" => double.PositiveInfinity,
        "INF_NEG" => double.NegativeInfinity,
        "NAN" => double.NaN,
        _ => throw new FormatException($"Unknown value type '{type}' in Optuna storage."),
    };
}
