using System.Globalization;
using System.Text;
using EdgeAutoMl.Search.Json;

namespace EdgeAutoMl.Search.Distributions;

/// <summary>
/// Optuna's <c>distribution_to_json</c> / <c>json_to_distribution</c>. The text is byte-identical
/// to Optuna's (attribute order follows each class's <c>__init__</c>), e.g.
/// <c>{"name": "IntDistribution", "attributes": {"log": false, "step": 1, "low": 2, "high": 8}}</c>.
/// </summary>
public static class DistributionJson
{
    /// <summary>Serialises a distribution as Optuna does.</summary>
    public static string ToJson(Distribution distribution)
    {
        var sb = new StringBuilder();
        sb.Append("{\"name\": \"").Append(distribution.OptunaName).Append("\", \"attributes\": {");
        switch (distribution)
        {
            case IntDistribution d:
                sb.Append("\"log\": ").Append(d.Log ? "true" : "false")
                  .Append(", \"step\": ").Append(d.Step.ToString(CultureInfo.InvariantCulture))
                  .Append(", \"low\": ").Append(d.Low.ToString(CultureInfo.InvariantCulture))
                  .Append(", \"high\": ").Append(d.High.ToString(CultureInfo.InvariantCulture));
                break;
            case FloatDistribution d:
                sb.Append("\"step\": ").Append(d.Step is { } s ? PyFloat.Repr(s) : "null")
                  .Append(", \"low\": ").Append(PyFloat.Repr(d.Low))
                  .Append(", \"high\": ").Append(PyFloat.Repr(d.High))
                  .Append(", \"log\": ").Append(d.Log ? "true" : "false");
                break;
            case CategoricalDistribution d:
                sb.Append("\"choices\": ");
                PyJsonWriter.WriteValue(sb, d.Choices);
                break;
            default:
                throw new ArgumentException($"Unknown distribution type {distribution.GetType().Name}.");
        }
        sb.Append("}}");
        return sb.ToString();
    }

    /// <summary>
    /// Parses Optuna's JSON, including the pre-3.0 names (UniformDistribution, LogUniformDistribution,
    /// DiscreteUniformDistribution, IntUniformDistribution, IntLogUniformDistribution) that Optuna 3 maps onto the new ones.
    /// </summary>
    /// <exception cref="FormatException">Not a distribution JSON.</exception>
    public static Distribution FromJson(string json)
    {
        if (PyJsonReader.Parse(json) is not Dictionary<string, object?> root ||
            root.GetValueOrDefault("name") is not string name ||
            root.GetValueOrDefault("attributes") is not Dictionary<string, object?> a)
            throw new FormatException($"Not an Optuna distribution JSON: {json}");
        try
        {
            return name switch
            {
                "IntDistribution" => new IntDistribution(Long(a, "low"), Long(a, "high"),
                    a.ContainsKey("step") ? Long(a, "step") : 1, a.GetValueOrDefault("log") is true),
                "FloatDistribution" => new FloatDistribution(Dbl(a, "low"), Dbl(a, "high"),
                    a.GetValueOrDefault("step") is null ? null : Dbl(a, "step"), a.GetValueOrDefault("log") is true),
                "CategoricalDistribution" => new CategoricalDistribution(
                    a.GetValueOrDefault("choices") as List<object?> ?? throw new FormatException("choices missing")),
                "UniformDistribution" => new FloatDistribution(Dbl(a, "low"), Dbl(a, "high")),
                "LogUniformDistribution" => new FloatDistribution(Dbl(a, "low"), Dbl(a, "high"), log: true),
                "DiscreteUniformDistribution" => new FloatDistribution(Dbl(a, "low"), Dbl(a, "high"), Dbl(a, "q")),
                "IntUniformDistribution" => new IntDistribution(Long(a, "low"), Long(a, "high"),
                    a.ContainsKey("step") ? Long(a, "step") : 1),
                "IntLogUniformDistribution" => new IntDistribution(Long(a, "low"), Long(a, "high"), 1, log: true),
                _ => throw new FormatException($"Unknown distribution name '{name}'."),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or KeyNotFoundException)
        {
            throw new FormatException($"Invalid {name} JSON ({e.Message}): {json}", e);
        }
    }

    private static long Long(Dictionary<string, object?> a, string key) => a[key] switch
    {
        long l => l,
        double d when d == Math.Floor(d) => (long)d,
        var v => throw new FormatException($"attribute '{key}' must be an integer, got {v}"),
    };

    private static double Dbl(Dictionary<string, object?> a, string key) => a[key] switch
    {
        long l => l,
        double d => d,
        var v => throw new FormatException($"attribute '{key}' must be a number, got {v}"),
    };
}
