using EdgeAutoMl.Storage.Rdb;
using EdgeAutoMl.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace EdgeAutoMl.Storage;

/// <summary>
/// SQLite storage with Optuna's RDB tables, so <c>optuna.load_study(storage="sqlite:///file.db")</c> and
/// optuna-dashboard read what EdgeAutoMl writes (and the other way round). WAL journal with synchronous=FULL:
/// each call commits (and syncs) before it returns, so killing the process loses nothing. Writes take SQLite's
/// write lock (BEGIN IMMEDIATE), so several processes may share one file. Thread-safe.
/// Heartbeats (optional) go to Optuna's <c>trial_heartbeats</c> table in UTC, as Optuna's <c>func.now()</c> writes them
/// on SQLite; every process sharing a file runs on the same host, so they share the clock.
/// The queries are shared with PostgreSQL (<see cref="RdbStorage"/>).
/// </summary>
public sealed class SqliteStorage : RdbStorage, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly object _gate = new();

    /// <summary>
    /// Opens (or creates) a storage file. A new file gets <paramref name="schemaForNewFile"/>; an existing one keeps
    /// the schema it has.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="schemaForNewFile">Optuna schema revision written into a new file.</param>
    /// <param name="heartbeatInterval">How often running trials beat; null disables heartbeats.</param>
    /// <param name="gracePeriod">Staleness threshold; default 2 × <paramref name="heartbeatInterval"/> (Optuna's default).</param>
    /// <param name="cacheFinishedTrials">Keep finished trials in memory and read only new or unfinished trials' rows (see
    /// <see cref="Rdb.FinishedTrialCache"/>); off only to measure what the cache saves.</param>
    /// <exception cref="NotSupportedException">The file holds an Optuna schema revision this code does not know.</exception>
    public SqliteStorage(string path, OptunaSchemaVersion schemaForNewFile = OptunaSchemaVersion.V3_2_0_a,
        TimeSpan? heartbeatInterval = null, TimeSpan? gracePeriod = null, bool cacheFinishedTrials = true)
        : base(SqliteDialect.Instance, heartbeatInterval, gracePeriod, cacheFinishedTrials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
        string? dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"SQLite storage '{path}': directory '{dir}' does not exist.");
        var csb = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 };
        _connection = new SqliteConnection(csb.ToString());
        try
        {
            _connection.Open();
            Pragma("PRAGMA journal_mode=WAL");
            Pragma("PRAGMA synchronous=FULL");
            Pragma("PRAGMA busy_timeout=60000");
            Schema = SqliteSchema.EnsureCreated(_connection, schemaForNewFile, path);
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The Optuna schema revision of this file.</summary>
    public OptunaSchemaVersion Schema { get; }

    /// <summary>Closes the connection (the WAL is checkpointed into the main file).</summary>
    public void Dispose()
    {
        lock (_gate) _connection.Dispose();
    }

    private protected override string Where => Path;

    private protected override T Write<T>(Func<RdbSession, T> body)
    {
        lock (_gate)
        {
            // IMMEDIATE: the write lock is taken at BEGIN, so the checks a call makes hold until it commits.
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: false);
            T result = body(new RdbSession(_connection, tx));
            tx.Commit();
            return result;
        }
    }

    private protected override T Read<T>(Func<RdbSession, T> body)
    {
        lock (_gate)
        {
            // One deferred transaction = one consistent snapshot across the several SELECTs of a trial list.
            using SqliteTransaction tx = _connection.BeginTransaction(deferred: true);
            T result = body(new RdbSession(_connection, tx));
            tx.Commit();
            return result;
        }
    }

    private void Pragma(string sql)
    {
        using var cmd = new SqliteCommand(sql, _connection);
        cmd.ExecuteNonQuery();
    }
}
