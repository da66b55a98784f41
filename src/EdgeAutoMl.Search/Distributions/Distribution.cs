namespace EdgeAutoMl.Search.Distributions;

/// <summary>
/// The range a parameter is drawn from. As in Optuna, every value has an <em>internal</em>
/// representation (a double; for categoricals the choice index) that storages and samplers use,
/// and an <em>external</em> one the objective sees.
/// </summary>
public abstract class Distribution : IEquatable<Distribution>
{
    /// <summary>Optuna's class name, used as <c>"name"</c> in <c>distribution_json</c>.</summary>
    public abstract string OptunaName { get; }

    /// <summary>True when the distribution holds exactly one value (no sampling needed).</summary>
    public abstract bool IsSingle { get; }

    /// <summary>External value → internal double.</summary>
    /// <exception cref="ArgumentException">The value has the wrong type or is not a choice.</exception>
    public abstract double ToInternal(object? externalValue);

    /// <summary>Internal double → external value (long, double or the categorical choice).</summary>
    public abstract object? ToExternal(double internalValue);

    /// <summary>Whether an internal value lies in the distribution (on its grid, for stepped ones).</summary>
    public abstract bool Contains(double internalValue);

    /// <summary>Same kind and same attributes (Optuna's <c>__eq__</c>).</summary>
    public abstract bool Equals(Distribution? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Distribution d && Equals(d);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Optuna's <c>distribution_to_json</c> text.</summary>
    public string ToJson() => DistributionJson.ToJson(this);

    /// <inheritdoc />
    public override string ToString() => ToJson();
}
