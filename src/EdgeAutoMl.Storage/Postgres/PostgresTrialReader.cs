using EdgeAutoMl.Storage.Rdb;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Storage.Sqlite;

namespace EdgeAutoMl.Storage.Postgres;

/// <summary>Reads trials with all their rows (params, values, intermediate values, attrs) in one transaction.</summary>
internal static class PostgresTrialReader
{
    public static List<FrozenTrial> Load(PgSession s, string where, int key, IReadOnlyCollection<TrialState>? states)
    {
        var rows = s.Rows($"SELECT t.trial_id, t.number, t.state::text, t.datetime_start, t.datetime_complete FROM trials t WHERE {where} ORDER BY t.number",
            r => (Id: r.GetInt32(0), Number: r.GetInt32(1), State: TrialStateExtensions.ParseOptunaName(r.GetString(2)),
                Start: r.IsDBNull(3) ? (DateTime?)null : DateTime.SpecifyKind(r.GetDateTime(3), DateTimeKind.Local),
                Complete: r.IsDBNull(4) ? (DateTime?)null : DateTime.SpecifyKind(r.GetDateTime(4), DateTimeKind.Local)),
            ("x", key));
        if (states is not null) rows = rows.Where(r => states.Contains(r.State)).ToList();
        var parts = rows.ToDictionary(r => r.Id, _ => new TrialParts());
        if (parts.Count == 0) return [];
        string join = $"JOIN trials t ON x.trial_id=t.trial_id WHERE {where}";

        foreach (var (id, name, value, json) in s.Rows($"SELECT x.trial_id, x.param_name, x.param_value, x.distribution_json FROM trial_params x {join}",
                     r => (r.GetInt32(0), r.GetString(1), r.GetDouble(2), r.GetString(3)), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p))
            {
                p.Params[name] = value;
                p.Distributions[name] = DistributionJson.FromJson(json);
            }
        foreach (var (id, objective, value) in s.Rows($"SELECT x.trial_id, x.objective, x.value, x.value_type::text FROM trial_values x {join}",
                     r => (r.GetInt32(0), r.GetInt32(1), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Values[objective] = value;
        foreach (var (id, step, value) in s.Rows($"SELECT x.trial_id, x.step, x.intermediate_value, x.intermediate_value_type::text FROM trial_intermediate_values x {join}",
                     r => (r.GetInt32(0), r.GetInt32(1), SqliteCodec.Decode(r.GetValue(2), r.GetString(3))), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.Intermediate[step] = value;
        foreach (var (id, k, json) in s.Rows($"SELECT x.trial_id, x.key, x.value_json FROM trial_user_attributes x {join} ORDER BY x.trial_user_attribute_id",
                     r => (r.GetInt32(0), r.GetString(1), r.GetString(2)), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.UserAttrs[k] = AttrJson.Decode(json);
        foreach (var (id, k, json) in s.Rows($"SELECT x.trial_id, x.key, x.value_json FROM trial_system_attributes x {join} ORDER BY x.trial_system_attribute_id",
                     r => (r.GetInt32(0), r.GetString(1), r.GetString(2)), ("x", key)))
            if (parts.TryGetValue(id, out TrialParts? p)) p.SystemAttrs[k] = AttrJson.Decode(json);

        return rows.Select(r => parts[r.Id].Freeze(r.Id, r.Number, r.State, r.Start, r.Complete)).ToList();
    }

}
