using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeAutoMl.Orchestrator.Objectives;

/// <summary>
/// A hard constraint such as <c>accuracy&gt;=0.97</c> or <c>flash&lt;=32000</c>. Its value follows
/// Optuna's <c>constraints_func</c> convention: ≤ 0 means satisfied, and the size of a positive
/// value says by how much it is violated, which lets samplers prefer nearly-feasible trials.
/// </summary>
public sealed partial record Constraint(string Metric, bool AtLeast, double Bound)
{
    [GeneratedRegex(@"^\s*([A-Za-z_]+)\s*(>=|<=)\s*([-+0-9.eE]+)\s*$")]
    private static partial Regex Pattern();

    /// <summary>Parses METRIC&gt;=X or METRIC&lt;=X.</summary>
    public static Constraint Parse(string text)
    {
        var m = Pattern().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
            throw new ArgumentException($"constraint '{text}': expected METRIC>=NUMBER or METRIC<=NUMBER, e.g. \"accuracy>=0.95\"");
        return new Constraint(Objectives.Metric.Resolve(m.Groups[1].Value), m.Groups[2].Value == ">=", bound);
    }

    /// <summary>Optuna-style constraint value for a measured metric (≤ 0 feasible).</summary>
    public double Value(double measured) => AtLeast ? Bound - measured : measured - Bound;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Metric}{(AtLeast ? ">=" : "<=")}{Bound.ToString(CultureInfo.InvariantCulture)}";
}
