using System.Data.Common;

namespace EdgeAutoMl.Storage.Rdb;

/// <summary>
/// One transaction on one connection, with helpers for named parameters. Both ADO.NET providers (Npgsql and
/// Microsoft.Data.Sqlite) take <c>@name</c>, so the SQL of <see cref="RdbStorage"/> is written once.
/// </summary>
internal sealed class RdbSession(DbConnection connection, DbTransaction transaction)
{
    public int Exec(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand cmd = Command(sql, args);
        return cmd.ExecuteNonQuery();
    }

    public object? Scalar(string sql, params (string Name, object? Value)[] args)
    {
        using DbCommand cmd = Command(sql, args);
        object? v = cmd.ExecuteScalar();
        return v is DBNull ? null : v;
    }

    public List<T> Rows<T>(string sql, Func<DbDataReader, T> map, params (string Name, object? Value)[] args)
    {
        using DbCommand cmd = Command(sql, args);
        using DbDataReader r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(map(r));
        return list;
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] args)
    {
        DbCommand cmd = connection.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = sql;
        foreach (var (name, value) in args)
        {
            DbParameter p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}
