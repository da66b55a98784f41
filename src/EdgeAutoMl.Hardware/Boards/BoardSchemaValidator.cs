using System.Text.Json;

namespace EdgeAutoMl.Hardware.Boards;

/// <summary>
/// Checks a profile against boards/schema.json. Implements the JSON Schema keywords that file
/// uses (type, required, properties, additionalProperties, minimum, maximum, enum) — enough to
/// catch typos and wrong types with "file: field 'a.b' ..." messages, without a schema library.
/// </summary>
public static class BoardSchemaValidator
{
    /// <summary>Every violation, each naming the file and field; empty when the profile conforms.</summary>
    public static IReadOnlyList<string> Validate(JsonElement profile, JsonElement schema, string path)
    {
        var errors = new List<string>();
        Check(profile, schema, "", path, errors);
        return errors;
    }

    /// <summary>Validates <paramref name="profilePath"/> against <paramref name="schemaPath"/>; throws with every violation.</summary>
    /// <exception cref="BoardProfileException">The profile does not conform, or the schema is unreadable.</exception>
    public static void ValidateFile(string profilePath, string schemaPath)
    {
        JsonDocument schema;
        try { schema = JsonDocument.Parse(File.ReadAllText(schemaPath)); }
        catch (Exception e) when (e is IOException or JsonException)
        { throw new BoardProfileException($"{schemaPath}: cannot read the board schema: {e.Message}", e); }
        using (schema)
        using (var doc = JsonDocument.Parse(File.ReadAllText(profilePath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }))
        {
            var errors = Validate(doc.RootElement, schema.RootElement, profilePath);
            if (errors.Count > 0)
                throw new BoardProfileException(string.Join("; ", errors) + $" (schema {schemaPath})");
        }
    }

    private static void Check(JsonElement value, JsonElement schema, string field, string path, List<string> errors)
    {
        string Where() => field.Length == 0 ? $"{path}: profile" : $"{path}: field '{field}'";
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
        {
            errors.Add($"{Where()} must be a {type.GetString()}, got {value.ValueKind.ToString().ToLowerInvariant()}");
            return;
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            errors.Add($"{Where()} must be one of {string.Join(", ", allowed.EnumerateArray().Select(a => a.GetRawText()))}, got {value.GetRawText()}");
        if (value.ValueKind == JsonValueKind.Number)
        {
            double v = value.GetDouble();
            if (schema.TryGetProperty("minimum", out var min) && v < min.GetDouble()) errors.Add($"{Where()} must be >= {min.GetRawText()}, got {value.GetRawText()}");
            if (schema.TryGetProperty("maximum", out var max) && v > max.GetDouble()) errors.Add($"{Where()} must be <= {max.GetRawText()}, got {value.GetRawText()}");
        }
        if (value.ValueKind != JsonValueKind.Object) return;
        string Child(string name) => field.Length == 0 ? name : field + "." + name;
        if (schema.TryGetProperty("required", out var required))
            foreach (var r in required.EnumerateArray())
                if (!value.TryGetProperty(r.GetString()!, out _)) errors.Add($"{path}: field '{Child(r.GetString()!)}' is missing");
        schema.TryGetProperty("properties", out var props);
        bool closed = schema.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.False;
        foreach (var p in value.EnumerateObject())
        {
            if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(p.Name, out var sub)) Check(p.Value, sub, Child(p.Name), path, errors);
            else if (closed)
            {
                var known = props.ValueKind == JsonValueKind.Object ? string.Join(", ", props.EnumerateObject().Select(x => x.Name)) : "";
                errors.Add($"{path}: field '{Child(p.Name)}' is not in the schema (misspelt? known: {known})");
            }
        }
    }

    private static bool HasType(JsonElement v, string type) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "array" => v.ValueKind == JsonValueKind.Array,
        _ => true,
    };
}
