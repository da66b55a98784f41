using System.Globalization;
using Npgsql;

namespace EdgeAutoMl.Storage;

/// <summary>
/// SQLAlchemy-style PostgreSQL URLs → Npgsql connection strings, plus Optuna's RDBStorage heartbeat options
/// (<c>heartbeat_interval</c>, <c>grace_period</c>, in seconds) given as query parameters.
/// </summary>
public static class PostgresUrl
{
    /// <summary>Parses the URL.</summary>
    /// <exception cref="ArgumentException">Not a PostgreSQL URL, no database, or an unknown/invalid query option.</exception>
    public static (string ConnectionString, TimeSpan? HeartbeatInterval, TimeSpan? GracePeriod) Parse(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        string prefix = scheme < 0 ? "" : url[..scheme].ToLowerInvariant();
        if (!(prefix is "postgres" or "postgresql" || prefix.StartsWith("postgresql+", StringComparison.Ordinal)))
            throw new ArgumentException($"'{url}' is not a postgresql:// URL.");
        // Uri does not know the scheme "postgresql+psycopg2"; normalise it first.
        var uri = new Uri("postgresql" + url[scheme..]);
        var csb = new NpgsqlConnectionStringBuilder
        {
            Host = string.IsNullOrEmpty(uri.Host) ? "localhost" : uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (string.IsNullOrEmpty(csb.Database)) throw new ArgumentException($"Storage URL '{url}' names no database (…/DBNAME).");
        if (uri.UserInfo.Length > 0)
        {
            string[] ui = uri.UserInfo.Split(':', 2);
            csb.Username = Uri.UnescapeDataString(ui[0]);
            if (ui.Length > 1) csb.Password = Uri.UnescapeDataString(ui[1]);
        }
        TimeSpan? interval = null, grace = null;
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            string value = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (kv[0])
            {
                case "heartbeat_interval": interval = Seconds(value, kv[0], url); break;
                case "grace_period": grace = Seconds(value, kv[0], url); break;
                case "host": csb.Host = value; break; // a unix-socket directory, as libpq allows
                default:
                    throw new ArgumentException($"Unknown option '{kv[0]}' in storage URL '{url}' (supported: heartbeat_interval, grace_period, host).");
            }
        }
        return (csb.ConnectionString, interval, grace);
    }

    internal static TimeSpan Seconds(string value, string name, string url) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : throw new ArgumentException($"'{name}' in storage URL '{url}' must be a positive number of seconds, got '{value}'.");
}
