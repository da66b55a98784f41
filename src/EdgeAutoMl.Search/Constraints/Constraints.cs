namespace EdgeAutoMl.Search;

/// <summary>
/// Optuna's <c>constraints_func</c> semantics: a trial may carry constraint values in system attr
/// <c>"constraints"</c> (a JSON list of floats); a value ≤ 0 is satisfied. Feasible trials dominate infeasible ones.
/// </summary>
public static class Constraints
{
    /// <summary>System attribute key, as Optuna's <c>_CONSTRAINTS_KEY</c>.</summary>
    public const string SystemAttrKey = "constraints";

    /// <summary>Reads the constraint values from system attrs, or null when absent.</summary>
    /// <exception cref="FormatException">The attribute is not a list of numbers.</exception>
    public static IReadOnlyList<double>? Read(IReadOnlyDictionary<string, object?> systemAttrs)
    {
        if (!systemAttrs.TryGetValue(SystemAttrKey, out object? raw) || raw is null) return null;
        if (raw is IReadOnlyList<double> ready) return ready;
        if (raw is not System.Collections.IEnumerable list || raw is string)
            throw new FormatException($"System attr '{SystemAttrKey}' must be a list of numbers, got {raw}.");
        var values = new List<double>();
        foreach (object? item in list)
            values.Add(item switch
            {
                long l => l,
                double d => d,
                int i => i,
                _ => throw new FormatException($"System attr '{SystemAttrKey}' holds a non-number: {item}."),
            });
        return values;
    }

    /// <summary>Sum of positive constraint values (0 = feasible); +inf for a trial without constraints when <paramref name="missingIsInfeasible"/>.</summary>
    public static double Violation(FrozenTrial trial, bool missingIsInfeasible = false)
    {
        IReadOnlyList<double>? c = trial.Constraints;
        if (c is null) return missingIsInfeasible ? double.PositiveInfinity : 0;
        double sum = 0;
        foreach (double v in c)
            sum += double.IsNaN(v) ? double.PositiveInfinity : Math.Max(v, 0);
        return sum;
    }

    /// <summary>All constraints ≤ 0 (a trial with no constraints is feasible).</summary>
    public static bool IsFeasible(FrozenTrial trial) => Violation(trial) == 0;
}
