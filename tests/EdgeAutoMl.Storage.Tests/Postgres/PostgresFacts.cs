namespace EdgeAutoMl.Storage.Tests.Postgres;

[CollectionDefinition("Postgres")]
public sealed class PostgresCollection : ICollectionFixture<LazyPostgres>;

/// <summary>Starts the server on first use only, so a run where every Postgres test is skipped starts nothing.</summary>
public sealed class LazyPostgres : IDisposable
{
    private readonly Lazy<PostgresServer> _server = new(() => new PostgresServer());
    public PostgresServer Server => _server.Value;
    public void Dispose()
    {
        if (_server.IsValueCreated) _server.Value.Dispose();
    }
}

/// <summary>A fact that is skipped, with the fix, when no PostgreSQL server can be started here.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.MissingReason.Value is { } reason) Skip = reason;
    }
}

/// <summary>A theory that is skipped, with the fix, when no PostgreSQL server can be started here.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresServer.MissingReason.Value is { } reason) Skip = reason;
    }
}
