using EdgeAutoMl.Search;

namespace EdgeAutoMl.Storage;

/// <summary>
/// Opens a storage from an Optuna-style URL: <c>sqlite:///relative.db</c>, <c>sqlite:////abs/path.db</c>,
/// <c>:memory:</c> or <c>inmemory</c>. A SQLite URL may end in <c>?schema=v3.0.0.d</c> (for Optuna 3.0/3.1 readers) or
/// <c>?schema=v3.2.0.a</c> (default) to choose the schema of a <em>new</em> file; existing files keep theirs. Both
/// SQLite and PostgreSQL URLs take Optuna's heartbeat options <c>heartbeat_interval=S</c> and <c>grace_period=S</c>.
/// PostgreSQL: <c>postgresql://user[:password]@host[:port]/database[?heartbeat_interval=S&amp;grace_period=S]</c>
/// (SQLAlchemy's <c>postgresql+driver://</c> prefix is accepted too).
/// </summary>
public static class StorageUrl
{
    /// <summary>Opens the storage. Dispose it when done if it is <see cref="IDisposable"/>.</summary>
    /// <exception cref="ArgumentException">Unrecognised URL.</exception>
    public static IStorage Open(string url, OptunaSchemaVersion? schemaForNewFile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        string u = url.Trim();
        if (u is ":memory:" or "inmemory" or "memory") return new InMemoryStorage();
        if (u.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            string rest = u["sqlite:///".Length..];
            OptunaSchemaVersion schema = schemaForNewFile ?? OptunaSchemaVersion.V3_2_0_a;
            TimeSpan? interval = null, grace = null;
            int q = rest.IndexOf('?');
            if (q >= 0)
            {
                var (s, i, g) = ParseQuery(rest[(q + 1)..], url);
                (schema, interval, grace) = (s ?? schema, i, g);
                rest = rest[..q];
            }
            // SQLAlchemy: sqlite:///x.db is relative, sqlite:////x.db absolute, sqlite:///:memory: in memory.
            if (rest is "" or ":memory:") return new InMemoryStorage();
            return new SqliteStorage(rest, schema, interval, grace);
        }
        if (u.StartsWith("postgresql", StringComparison.OrdinalIgnoreCase) || u.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            var (connectionString, interval, grace) = PostgresUrl.Parse(u);
            return new PostgresStorage(connectionString, interval, grace);
        }
        throw new ArgumentException(
            $"Unrecognised storage URL '{url}'. Use sqlite:///relative.db, sqlite:////absolute/path.db, postgresql://user@host:port/db or :memory:.");
    }

    private static (OptunaSchemaVersion?, TimeSpan?, TimeSpan?) ParseQuery(string query, string url)
    {
        OptunaSchemaVersion? result = null;
        TimeSpan? interval = null, grace = null;
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            if (kv[0] == "heartbeat_interval") { interval = PostgresUrl.Seconds(value, kv[0], url); continue; }
            if (kv[0] == "grace_period") { grace = PostgresUrl.Seconds(value, kv[0], url); continue; }
            if (kv[0] != "schema")
                throw new ArgumentException($"Unknown option '{kv[0]}' in storage URL '{url}' (supported: schema, heartbeat_interval, grace_period).");
            result = value switch
            {
                "v3.0.0.d" => OptunaSchemaVersion.V3_0_0_d,
                "v3.2.0.a" => OptunaSchemaVersion.V3_2_0_a,
                var v => throw new ArgumentException($"Unknown schema '{v}' in storage URL '{url}' (supported: v3.0.0.d, v3.2.0.a)."),
            };
        }
        return (result, interval, grace);
    }
}
