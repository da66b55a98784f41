using System.Globalization;
using EdgeAutoMl.Storage.Rdb;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Storage.Sqlite;

/// <summary>
/// SQLite: enums and datetimes are text (SQLAlchemy's "YYYY-MM-DD HH:MM:SS.ffffff", naive local time), no row locks
/// (a write transaction holds the database's write lock), heartbeats in UTC whole seconds as Optuna writes them.
/// </summary>
internal sealed class SqliteDialect : RdbDialect
{
    public static readonly SqliteDialect Instance = new();

    // strftime's %f is seconds with milliseconds; three zeros make SQLAlchemy's six fraction digits.
    private const string Format = "'%Y-%m-%d %H:%M:%f000'";

    public override string Enum(string parameter, string enumType) => parameter;
    public override string Text(string column) => column;
    public override string ForUpdate => "";
    public override string ForUpdateSkipLocked => "";
    public override string NowLocal => $"strftime({Format}, 'now', 'localtime')";
    // Exactly Optuna's column default: CURRENT_TIMESTAMP, UTC, whole seconds. A beat with a fraction would be ahead of
    // Optuna's whole-second "now", and Optuna 3.1 takes such a negative age for a stale trial.
    public override string NowHeartbeat => "CURRENT_TIMESTAMP";

    public override (string Sql, object Value) HeartbeatOlderThan(TimeSpan grace) =>
        ("h.heartbeat < datetime('now', @g)", string.Create(CultureInfo.InvariantCulture, $"-{grace.TotalSeconds:0.000} seconds"));

    public override object? Date(DateTime? value) => SqliteCodec.Date(value);
    public override DateTime? ReadDate(object value) => SqliteCodec.ParseDate(value);
    public override bool IsUniqueViolation(Exception e) => e is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT
}
