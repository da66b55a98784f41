using System.Globalization;
using System.Text;
using System.Text.Json;

namespace EdgeAutoMl.Search.Json;

/// <summary>
/// Reads JSON as Python's <c>json.loads</c> accepts it (including <c>NaN</c>, <c>Infinity</c>,
/// <c>-Infinity</c>, which System.Text.Json rejects) into plain .NET values:
/// null, bool, long (integers), double, string, <see cref="List{T}"/> of object and
/// <see cref="Dictionary{TKey,TValue}"/> of string to object (key order kept).
/// </summary>
public sealed class PyJsonReader
{
    private readonly string _text;
    private int _pos;

    private PyJsonReader(string text) => _text = text;

    /// <summary>Parses one JSON document.</summary>
    /// <exception cref="FormatException">The text is not valid (Python-flavoured) JSON.</exception>
    public static object? Parse(string text)
    {
        var reader = new PyJsonReader(text);
        object? value = reader.ReadValue();
        reader.SkipWhitespace();
        if (reader._pos != text.Length) throw reader.Error("trailing characters");
        return value;
    }

    internal static object? FromElement(JsonElement element) => Parse(element.GetRawText());

    private object? ReadValue()
    {
        SkipWhitespace();
        if (_pos >= _text.Length) throw Error("unexpected end of input");
        char c = _text[_pos];
        switch (c)
        {
            case '{': return ReadObject();
            case '[': return ReadArray();
            case '"': return ReadString();
            case 't': Expect("true"); return true;
            case 'f': Expect("false"); return false;
            case 'n': Expect("null"); return null;
            case 'N': Expect("NaN"); return double.NaN;
            case 'I': Expect("Infinity"); return double.PositiveInfinity;
            default:
                if (c == '-' && _pos + 1 < _text.Length && _text[_pos + 1] == 'I')
                {
                    Expect("-Infinity");
                    return double.NegativeInfinity;
                }
                if (c == '-' || char.IsAsciiDigit(c)) return ReadNumber();
                throw Error($"unexpected character '{c}'");
        }
    }

    private Dictionary<string, object?> ReadObject()
    {
        var result = new Dictionary<string, object?>();
        _pos++;
        SkipWhitespace();
        if (Peek() == '}') { _pos++; return result; }
        while (true)
        {
            SkipWhitespace();
            if (Peek() != '"') throw Error("expected a string key");
            string key = ReadString();
            SkipWhitespace();
            if (Peek() != ':') throw Error("expected ':'");
            _pos++;
            result[key] = ReadValue();
            SkipWhitespace();
            char c = Peek();
            _pos++;
            if (c == '}') return result;
            if (c != ',') throw Error("expected ',' or '}'");
        }
    }

    private List<object?> ReadArray()
    {
        var result = new List<object?>();
        _pos++;
        SkipWhitespace();
        if (Peek() == ']') { _pos++; return result; }
        while (true)
        {
            result.Add(ReadValue());
            SkipWhitespace();
            char c = Peek();
            _pos++;
            if (c == ']') return result;
            if (c != ',') throw Error("expected ',' or ']'");
        }
    }

    private string ReadString()
    {
        var sb = new StringBuilder();
        _pos++;
        while (true)
        {
            if (_pos >= _text.Length) throw Error("unterminated string");
            char c = _text[_pos++];
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (_pos >= _text.Length) throw Error("unterminated escape");
            char e = _text[_pos++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_pos + 4 > _text.Length) throw Error("short \\u escape");
                    sb.Append((char)int.Parse(_text.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _pos += 4;
                    break;
                default: throw Error($"bad escape '\\{e}'");
            }
        }
    }

    private object ReadNumber()
    {
        int start = _pos;
        bool isFloat = false;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c is '.' or 'e' or 'E') isFloat = true;
            else if (!(char.IsAsciiDigit(c) || c is '-' or '+')) break;
            _pos++;
        }
        ReadOnlySpan<char> span = _text.AsSpan(start, _pos - start);
        if (!isFloat && long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return l;
        if (double.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return d;
        throw Error($"bad number '{span.ToString()}'");
    }

    private void Expect(string literal)
    {
        if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0) throw Error($"expected '{literal}'");
        _pos += literal.Length;
    }

    private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private FormatException Error(string what) =>
        new($"Invalid JSON at position {_pos}: {what}. Text: {(_text.Length > 200 ? _text[..200] + "..." : _text)}");
}
