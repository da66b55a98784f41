using EdgeAutoMl.Search;

namespace EdgeAutoMl.Storage.Tests;

public sealed class StorageUrlTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eaml-url-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(":memory:")]
    [InlineData("inmemory")]
    [InlineData("sqlite:///:memory:")]
    public void Memory_urls_give_an_in_memory_storage(string url) => Assert.IsType<InMemoryStorage>(StorageUrl.Open(url));

    [Fact]
    public void Absolute_sqlite_url_with_schema_option()
    {
        string path = Path.Combine(_dir, "a.db");
        using var s = (SqliteStorage)StorageUrl.Open($"sqlite:///{path}?schema=v3.0.0.d");
        Assert.StartsWith("/", path);
        Assert.Equal(path, s.Path);
        Assert.Equal(OptunaSchemaVersion.V3_0_0_d, s.Schema);
    }

    [Fact]
    public void Relative_sqlite_url_is_relative_to_the_working_directory()
    {
        using var s = (SqliteStorage)StorageUrl.Open("sqlite:///eaml-url-test.db");
        Assert.Equal("eaml-url-test.db", s.Path);
        s.Dispose();
        File.Delete("eaml-url-test.db");
    }

    [Fact]
    public void Unsupported_urls_say_why()
    {
        Assert.Contains("database", Assert.Throws<ArgumentException>(() => StorageUrl.Open("postgresql://u@h:5432")).Message);
        Assert.Contains("heartbeat_interval", Assert.Throws<ArgumentException>(() => StorageUrl.Open("postgresql://u@h/db?heartbeat_interval=0")).Message);
        Assert.Contains("Unknown option", Assert.Throws<ArgumentException>(() => StorageUrl.Open("postgresql://u@h/db?sslmode=x")).Message);
        Assert.Contains("sqlite:///", Assert.Throws<ArgumentException>(() => StorageUrl.Open("mysql://x")).Message);
        Assert.Contains("schema", Assert.Throws<ArgumentException>(() => StorageUrl.Open($"sqlite:///{_dir}/b.db?schema=v1")).Message);
    }

    [Fact]
    public void Postgres_urls_become_npgsql_connection_strings()
    {
        var (cs, interval, grace) = PostgresUrl.Parse("postgresql+psycopg2://rig%40lab:s%3Acret@db.local:6543/optuna?heartbeat_interval=60&grace_period=300");
        var b = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.Equal(("db.local", 6543, "optuna", "rig@lab", "s:cret"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(300)), (interval!.Value, grace!.Value));
        var (cs2, i2, g2) = PostgresUrl.Parse("postgresql://me@localhost/db");
        Assert.Equal(5432, new Npgsql.NpgsqlConnectionStringBuilder(cs2).Port);
        Assert.Null(i2);
        Assert.Null(g2);
    }
}
