namespace EdgeAutoMl.Storage.Rdb;

/// <summary>
/// What differs between the SQL of Optuna's tables on SQLite and on PostgreSQL; everything else in
/// <see cref="RdbStorage"/> is shared. PostgreSQL has native enum columns, row locks and a server clock; SQLite stores
/// enums and datetimes as text and serialises writers with one database lock.
/// </summary>
internal abstract class RdbDialect
{
    /// <summary>A parameter written into an enum column (<c>@p::trialstate</c> in PostgreSQL).</summary>
    public abstract string Enum(string parameter, string enumType);

    /// <summary>An enum column read as text.</summary>
    public abstract string Text(string column);

    /// <summary>Row lock taken by a SELECT inside a write transaction ("" where the transaction already excludes writers).</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Row lock that skips rows other transactions hold (claiming a WAITING trial).</summary>
    public abstract string ForUpdateSkipLocked { get; }

    /// <summary>SQL for "now" in local time, as Optuna stores datetime_start/complete.</summary>
    public abstract string NowLocal { get; }

    /// <summary>SQL for "now" on the heartbeat clock (what Optuna's <c>func.now()</c> gives on this database).</summary>
    public abstract string NowHeartbeat { get; }

    /// <summary>
    /// A condition on <c>h.heartbeat</c> true when the beat is older than <paramref name="grace"/>, with its parameter
    /// (named <c>@g</c>).
    /// </summary>
    public abstract (string Sql, object Value) HeartbeatOlderThan(TimeSpan grace);

    /// <summary>A datetime as a parameter value.</summary>
    public abstract object? Date(DateTime? value);

    /// <summary>A datetime column value as read.</summary>
    public abstract DateTime? ReadDate(object value);

    /// <summary>True if the exception is a unique-key violation (two workers creating the same study name).</summary>
    public abstract bool IsUniqueViolation(Exception e);
}
