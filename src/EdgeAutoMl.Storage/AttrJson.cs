using EdgeAutoMl.Search.Json;

namespace EdgeAutoMl.Storage;

/// <summary>
/// Attribute values go through JSON in every storage (as Optuna's value_json), so an in-memory study returns
/// exactly the types a SQLite one does (long, double, List, Dictionary) and callers never share mutable objects.
/// </summary>
internal static class AttrJson
{
    public static string Encode(object? value) => PyJsonWriter.Write(value);

    public static object? Decode(string json) => PyJsonReader.Parse(json);
}
