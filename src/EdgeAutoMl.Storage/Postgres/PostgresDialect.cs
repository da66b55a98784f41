using EdgeAutoMl.Storage.Rdb;
using Npgsql;

namespace EdgeAutoMl.Storage.Postgres;

/// <summary>
/// PostgreSQL: Optuna's native enum types (cast on write, read as text), row locks (<c>FOR UPDATE</c>,
/// <c>SKIP LOCKED</c> to claim), timestamps without time zone from the server's clock so hosts agree.
/// </summary>
internal sealed class PostgresDialect : RdbDialect
{
    public static readonly PostgresDialect Instance = new();

    public override string Enum(string parameter, string enumType) => $"{parameter}::{enumType}";
    public override string Text(string column) => column + "::text";
    public override string ForUpdate => " FOR UPDATE";
    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";
    public override string NowLocal => "LOCALTIMESTAMP";
    public override string NowHeartbeat => "LOCALTIMESTAMP";
    public override (string Sql, object Value) HeartbeatOlderThan(TimeSpan grace) => ("h.heartbeat < LOCALTIMESTAMP - @g", grace);
    public override object? Date(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Unspecified) : null;
    public override DateTime? ReadDate(object value) => value is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Local) : null;
    public override bool IsUniqueViolation(Exception e) => e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
