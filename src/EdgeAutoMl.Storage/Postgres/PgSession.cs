using Npgsql;

namespace EdgeAutoMl.Storage.Postgres;

/// <summary>One transaction on one pooled connection, with small helpers for named parameters (@name).</summary>
internal sealed class PgSession(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    public NpgsqlConnection Connection { get; } = connection;
    public NpgsqlTransaction Transaction { get; } = transaction;

    public int Exec(string sql, params (string Name, object? Value)[] args)
    {
        using NpgsqlCommand cmd = Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using NpgsqlCommand cmd = Command(sql, args);
        object? v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public List<T> Rows<T>(string sql, Func<NpgsqlDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using NpgsqlCommand cmd = Command(sql, args);
        using NpgsqlDataReader r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    }

    private NpgsqlCommand Command(string sql, (string Name, object? Value)[] args)
    {
        var cmd = new NpgsqlCommand(sql, Connection, Transaction);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
