using System.Text.Json;

namespace EdgeAutoMl.Hardware.Boards;

/// <summary>Loads and validates boards/*.json; every error names the file and the field.</summary>
public static class BoardProfileLoader
{
    /// <summary>The schema string the loader understands.</summary>
    public const string Schema = "edgeautoml-board/1";
    /// <summary>The JSON schema file looked for next to a profile (boards/schema.json).</summary>
    public const string SchemaFileName = "schema.json";

    /// <summary>Loads boards/<paramref name="id"/>.json under <paramref name="boardsDirectory"/>.</summary>
    public static BoardProfile LoadById(string boardsDirectory, string id)
    {
        string path = Path.Combine(boardsDirectory, id + ".json");
        if (!File.Exists(path))
        {
            var known = Directory.Exists(boardsDirectory)
                ? string.Join(", ", Directory.GetFiles(boardsDirectory, "*.json").Select(Path.GetFileNameWithoutExtension).Order())
                : "(directory missing)";
            throw new BoardProfileException($"no board profile '{id}': {path} does not exist (known: {known})");
        }
        return Load(path);
    }

    /// <summary>Loads every profile in <paramref name="boardsDirectory"/>.</summary>
    public static IReadOnlyList<BoardProfile> LoadAll(string boardsDirectory) =>
        Directory.GetFiles(boardsDirectory, "*.json").Where(f => Path.GetFileName(f) != SchemaFileName).Order().Select(Load).ToList();

    /// <summary>Loads and validates one profile file.</summary>
    /// <exception cref="BoardProfileException">The file is unreadable, not JSON, or a field is missing or invalid.</exception>
    public static BoardProfile Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new BoardProfileException($"{path}: cannot read board profile: {e.Message}", e); }
        var profile = Parse(text, path);
        // The field checks above give the first, most specific message; the schema next to the
        // profile then catches what they do not look at (misspelt or unknown fields, enums).
        var schema = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, SchemaFileName);
        if (File.Exists(schema)) BoardSchemaValidator.ValidateFile(path, schema);
        return profile;
    }

    /// <summary>Parses profile JSON; <paramref name="path"/> is used in messages.</summary>
    public static BoardProfile Parse(string json, string path)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new BoardProfileException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}", e); }
        using (doc)
        {
            var r = new FieldReader(doc.RootElement, path, "");
            string schema = r.String("schema");
            if (schema != Schema) throw r.Error("schema", $"must be \"{Schema}\", got \"{schema}\"");
            string id = r.String("id");
            if (id.Length == 0 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw r.Error("id", $"must be non-empty ASCII letters, digits, '-', '_' or '.', got \"{id}\"");
            if (id != Path.GetFileNameWithoutExtension(path) && !path.StartsWith('<'))
                throw r.Error("id", $"\"{id}\" must match the file name \"{Path.GetFileName(path)}\"");

            long flash = r.Long("flash_bytes", min: 1), ram = r.Long("ram_bytes", min: 1);
            long modelFlash = r.Long("model_flash_bytes", min: 1), arena = r.Long("arena_ram_bytes", min: 1);
            if (modelFlash > flash) throw r.Error("model_flash_bytes", $"{modelFlash} exceeds flash_bytes {flash}");
            if (arena > ram) throw r.Error("arena_ram_bytes", $"{arena} exceeds ram_bytes {ram}");

            var t = r.Object("transport");
            var transport = new TransportProfile(t.String("kind"), t.OptionalString("port"));
            if (transport.Kind is not ("sim" or "qemu" or "serial")) throw t.Error("kind", $"must be sim, qemu or serial, got \"{transport.Kind}\"");
            if (transport.Kind == "serial" && transport.Port is null) throw t.Error("port", "is required when kind is serial");

            var m = r.Object("monitor");
            var monitor = new MonitorProfile(m.String("kind"), (int)m.Long("trigger_channel", min: 0, max: 7),
                m.Double("sample_rate_hz", min: 1), m.OptionalString("port"));

            CostModel? cost = null;
            if (r.Has("cost_model"))
            {
                var c = r.Object("cost_model");
                var macObj = c.Object("cycles_per_mac");
                var macs = new Dictionary<int, double>();
                for (int bits = 2; bits <= 8; bits++) macs[bits] = macObj.Double(bits.ToString(), min: 0);
                cost = new CostModel(c.Double("cycles_per_op", min: 0), c.Double("cycles_per_elem", min: 0), macs,
                    c.Double("idle_ua", min: 0), c.Double("active_ua", min: 0), c.Double("ua_per_weight_bit", min: 0));
            }
            if (transport.Kind == "sim" && cost is null) throw r.Error("cost_model", "is required for a simulated board (transport.kind = sim)");

            double noise = r.Has("simulator") && r.Object("simulator").Has("noise_ua") ? r.Object("simulator").Double("noise_ua", min: 0) : 0;
            return new BoardProfile(id, r.String("name"), r.String("core"), r.Long("clock_hz", min: 1), flash, ram, modelFlash, arena,
                r.Double("supply_v", min: 0.8, max: 5.0), (int)r.Long("baud", min: 1, max: 100_000_000), transport, monitor, cost, path)
            { SimNoiseMicroamps = noise };
        }
    }

    /// <summary>Reads typed fields of one JSON object, naming "file: field 'a.b'" in errors.</summary>
    private readonly struct FieldReader(JsonElement element, string path, string prefix)
    {
        public BoardProfileException Error(string field, string problem) => new($"{path}: field '{prefix}{field}' {problem}");

        public bool Has(string field) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(field, out _);

        private JsonElement Get(string field, JsonValueKind kind)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var v))
                throw Error(field, "is missing");
            if (v.ValueKind != kind) throw Error(field, $"must be a {kind.ToString().ToLowerInvariant()}, got {v.ValueKind.ToString().ToLowerInvariant()}");
            return v;
        }

        public string String(string field) => Get(field, JsonValueKind.String).GetString()!;
        public string? OptionalString(string field) => Has(field) ? String(field) : null;
        public FieldReader Object(string field) => new(Get(field, JsonValueKind.Object), path, prefix + field + ".");

        public double Double(string field, double min = double.MinValue, double max = double.MaxValue)
        {
            double v = Get(field, JsonValueKind.Number).GetDouble();
            if (v < min || v > max || !double.IsFinite(v)) throw Error(field, $"must be within {min}..{max}, got {v}");
            return v;
        }

        public long Long(string field, long min = long.MinValue, long max = long.MaxValue)
        {
            var e = Get(field, JsonValueKind.Number);
            if (!e.TryGetInt64(out long v)) throw Error(field, $"must be an integer, got {e.GetRawText()}");
            if (v < min || v > max) throw Error(field, $"must be within {min}..{max}, got {v}");
            return v;
        }
    }
}
