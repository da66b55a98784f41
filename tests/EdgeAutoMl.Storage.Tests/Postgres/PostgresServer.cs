using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EdgeAutoMl.Storage.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL 15 server for the tests: initdb in a temp dir, started by pg_ctl on a free loopback port with
/// its unix socket in the same dir, stopped and deleted on dispose. initdb refuses to run as root, so as root the
/// server runs as the <c>postgres</c> system user via runuser (the postgresql package creates that user).
/// No xunit here: bench/EdgeAutoMl.Bench.Storage and the CLI tests link this file.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    private static int _databases;
    private readonly string _dir;

    /// <summary>Why the server cannot run here (with the fix), or null when it can.</summary>
    public static readonly Lazy<string?> MissingReason = new(() =>
    {
        if (!File.Exists(Path.Combine(BinDir, "initdb")) || !File.Exists(Path.Combine(BinDir, "pg_ctl")))
            return $"PostgreSQL 15 server binaries not found in {BinDir}: apt-get install postgresql";
        if (Environment.UserName == "root" && !File.Exists("/usr/sbin/runuser"))
            return "running as root without runuser (util-linux) to start PostgreSQL as the postgres user";
        if (Environment.UserName == "root" && !File.ReadAllText("/etc/passwd").Contains("\npostgres:"))
            return "no 'postgres' system user to run the server as: apt-get install postgresql (it creates one)";
        return null;
    });

    public PostgresServer()
    {
        if (MissingReason.Value is { } reason) throw new InvalidOperationException(reason);
        _dir = Directory.CreateTempSubdirectory("edgeautoml-pg-").FullName;
        Port = FreePort();
        if (AsRoot) Run("/bin/chown", ["postgres", _dir]);
        Pg("initdb", ["-D", DataDir, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        Pg("pg_ctl", ["-D", DataDir, "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start"]);
    }

    public int Port { get; }
    private string DataDir => Path.Combine(_dir, "data");
    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>A fresh empty database; returns its name.</summary>
    public string CreateDatabase()
    {
        string name = $"t{Interlocked.Increment(ref _databases)}";
        using var c = new NpgsqlConnection(ConnectionString("postgres"));
        c.Open();
        using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
        cmd.ExecuteNonQuery();
        return name;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database }.ConnectionString;

    public string Url(string database, string query = "") => $"postgresql://postgres@127.0.0.1:{Port}/{database}{query}";

    public void Dispose()
    {
        try { Pg("pg_ctl", ["-D", DataDir, "-m", "immediate", "-w", "stop"]); }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    private void Pg(string tool, string[] args)
    {
        string exe = Path.Combine(BinDir, tool);
        if (AsRoot) Run("/usr/sbin/runuser", ["-u", "postgres", "--", exe, .. args]);
        else Run(exe, args);
    }

    private void Run(string exe, string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException($"{exe} timed out"); }
        if (p.ExitCode != 0)
        {
            string log = Path.Combine(_dir, "server.log");
            throw new InvalidOperationException($"{exe} {string.Join(' ', args)} exited {p.ExitCode}: {err.Result}{output.Result}" +
                                                (File.Exists(log) ? "\nserver.log:\n" + File.ReadAllText(log) : ""));
        }
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
