using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Storage.Rdb;

/// <summary>
/// The child rows of one trial (params, values, intermediate values, attributes) gathered from
/// Optuna's tables, then frozen into a <see cref="FrozenTrial"/>. Shared by the SQLite and
/// PostgreSQL readers: the tables are the same, only the SQL dialect differs.
/// </summary>
internal sealed class TrialParts
{
    public readonly Dictionary<string, double> Params = new();
    public readonly Dictionary<string, Distribution> Distributions = new();
    public readonly Dictionary<int, double> Values = new();
    public readonly Dictionary<int, double> Intermediate = new();
    public readonly Dictionary<string, object?> UserAttrs = new();
    public readonly Dictionary<string, object?> SystemAttrs = new();

    /// <summary>The trial with these parts and its row's own columns.</summary>
    public FrozenTrial Freeze(int trialId, int number, TrialState state, DateTime? start, DateTime? complete) => new()
    {
        TrialId = trialId,
        Number = number,
        State = state,
        Values = Values.Count == 0 ? null : Values.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray(),
        DatetimeStart = start,
        DatetimeComplete = complete,
        InternalParams = Params,
        Distributions = Distributions,
        UserAttrs = UserAttrs,
        SystemAttrs = SystemAttrs,
        IntermediateValues = Intermediate,
    };
}
