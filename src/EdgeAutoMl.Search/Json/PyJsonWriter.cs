using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeAutoMl.Search.Json;

/// <summary>
/// Writes JSON exactly as Python's <c>json.dumps</c> does with default options
/// (separators <c>", "</c> and <c>": "</c>, <c>ensure_ascii</c>, <c>NaN</c>/<c>Infinity</c> literals),
/// which is how Optuna fills <c>value_json</c> and <c>distribution_json</c>.
/// </summary>
public static class PyJsonWriter
{
    /// <summary>Serialises null, bool, string, integers, floats, lists/arrays and string-keyed dictionaries.</summary>
    public static string Write(object? value)
    {
        var sb = new StringBuilder();
        WriteValue(sb, value);
        return sb.ToString();
    }

    internal static void WriteValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("null"); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case string s: WriteString(sb, s); break;
            case char c: WriteString(sb, c.ToString()); break;
            case double d: sb.Append(PyFloat.Repr(d)); break;
            case float f: sb.Append(PyFloat.Repr(f)); break;
            case decimal m: sb.Append(PyFloat.Repr((double)m)); break;
            case sbyte or byte or short or ushort or int or uint or long or ulong:
                sb.Append(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
            case Enum e: WriteString(sb, e.ToString()); break;
            case JsonElement je: WriteValue(sb, PyJsonReader.FromElement(je)); break;
            case IDictionary dict: WriteDict(sb, dict); break;
            case IEnumerable list: WriteList(sb, list); break;
            default:
                throw new ArgumentException(
                    $"Cannot store a value of type {value.GetType().FullName} as JSON: use null, bool, string, a number, a list or a string-keyed dictionary.");
        }
    }

    private static void WriteList(StringBuilder sb, IEnumerable list)
    {
        sb.Append('[');
        bool first = true;
        foreach (object? item in list)
        {
            if (!first) sb.Append(", ");
            first = false;
            WriteValue(sb, item);
        }
        sb.Append(']');
    }

    private static void WriteDict(StringBuilder sb, IDictionary dict)
    {
        sb.Append('{');
        bool first = true;
        foreach (DictionaryEntry entry in dict)
        {
            if (entry.Key is not string key)
                throw new ArgumentException($"JSON object keys must be strings, got {entry.Key?.GetType().Name ?? "null"}.");
            if (!first) sb.Append(", ");
            first = false;
            WriteString(sb, key);
            sb.Append(": ");
            WriteValue(sb, entry.Value);
        }
        sb.Append('}');
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    // ensure_ascii: everything outside printable ASCII is \uXXXX (UTF-16 units, as Python does).
                    if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
