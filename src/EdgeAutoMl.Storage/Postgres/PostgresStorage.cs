using EdgeAutoMl.Storage.Postgres;
using EdgeAutoMl.Storage.Rdb;
using Npgsql;

namespace EdgeAutoMl.Storage;

/// <summary>
/// PostgreSQL storage with Optuna's RDB tables (Npgsql), for several workers — threads, processes or hosts — sharing
/// one study. Every call is one transaction. Races are settled by row locks: trial numbers are assigned under a lock
/// on the study row, a WAITING trial is claimed with <c>FOR UPDATE SKIP LOCKED</c>, and every trial update locks the
/// trial row (<c>SELECT … FOR UPDATE</c>) before checking that it is still modifiable. Heartbeats use the server's
/// clock. Thread-safe (a pooled connection per call). The queries are shared with SQLite (<see cref="RdbStorage"/>).
/// </summary>
public sealed class PostgresStorage : RdbStorage, IDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _where;

    /// <summary>Connects (creating Optuna's tables in an empty database).</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="heartbeatInterval">How often running trials beat; null disables heartbeats.</param>
    /// <param name="gracePeriod">Staleness threshold; default 2 × <paramref name="heartbeatInterval"/> (Optuna's default).</param>
    /// <param name="cacheFinishedTrials">Keep finished trials in memory and read only new or unfinished trials' rows (see
    /// <see cref="Rdb.FinishedTrialCache"/>); off only to measure what the cache saves.</param>
    /// <exception cref="NpgsqlException">The server cannot be reached or refuses the login.</exception>
    public PostgresStorage(string connectionString, TimeSpan? heartbeatInterval = null, TimeSpan? gracePeriod = null,
        bool cacheFinishedTrials = true)
        : base(PostgresDialect.Instance, heartbeatInterval, gracePeriod, cacheFinishedTrials)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        _where = $"'{csb.Database}' on {csb.Host}:{csb.Port}";
        _source = NpgsqlDataSource.Create(csb);
        try
        {
            SchemaRevision = PostgresSchema.EnsureCreated(_source, _where);
        }
        catch
        {
            _source.Dispose();
            throw;
        }
    }

    /// <summary>The alembic revision of the database (v3.2.0.a when created here).</summary>
    public string SchemaRevision { get; }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _source.Dispose();

    private protected override string Where => _where;

    // REPEATABLE READ: the several SELECTs of a trial list (trials, then each child table) see one snapshot.
    private protected override T Read<T>(Func<RdbSession, T> body) => Tx(body, System.Data.IsolationLevel.RepeatableRead);

    private protected override T Write<T>(Func<RdbSession, T> body) => Tx(body, System.Data.IsolationLevel.ReadCommitted);

    // One transaction per call; deadlocks and serialisation failures (possible under row locks) are retried.
    private T Tx<T>(Func<RdbSession, T> body, System.Data.IsolationLevel isolation)
    {
        for (int attempt = 0; ; attempt++)
        {
            using NpgsqlConnection c = _source.OpenConnection();
            using NpgsqlTransaction tx = c.BeginTransaction(isolation);
            try
            {
                T result = body(new RdbSession(c, tx));
                tx.Commit();
                return result;
            }
            catch (PostgresException e) when (attempt < 5 && e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
            {
                // rolled back by disposing the transaction; try again
            }
        }
    }
}
