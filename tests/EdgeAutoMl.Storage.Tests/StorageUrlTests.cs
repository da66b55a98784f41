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
        Assert.Contains("not implemented", Assert.Throws<NotSupportedException>(() => StorageUrl.Open("postgresql://u@h/db")).Message);
        Assert.Contains("sqlite:///", Assert.Throws<ArgumentException>(() => StorageUrl.Open("mysql://x")).Message);
        Assert.Contains("schema", Assert.Throws<ArgumentException>(() => StorageUrl.Open($"sqlite:///{_dir}/b.db?schema=v1")).Message);
    }
}
