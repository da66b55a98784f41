namespace EdgeAutoMl.Search.Distributions;

/// <summary>
/// One of a fixed list of choices (Optuna's CategoricalDistribution). Choices are null, bool,
/// string, long or double (other integer/float types are widened), as Optuna stores them in JSON.
/// The internal value is the index of the choice.
/// </summary>
public sealed class CategoricalDistribution : Distribution
{
    private readonly object?[] _choices;

    /// <summary>Creates the distribution.</summary>
    /// <exception cref="ArgumentException">No choices, or a choice of an unsupported type.</exception>
    public CategoricalDistribution(IEnumerable<object?> choices)
    {
        _choices = choices.Select(Normalize).ToArray();
        if (_choices.Length == 0) throw new ArgumentException("CategoricalDistribution: choices must not be empty.");
    }

    /// <summary>The choices, normalised to null/bool/string/long/double.</summary>
    public IReadOnlyList<object?> Choices => _choices;

    /// <inheritdoc />
    public override string OptunaName => "CategoricalDistribution";
    /// <inheritdoc />
    public override bool IsSingle => _choices.Length == 1;

    /// <inheritdoc />
    public override double ToInternal(object? externalValue)
    {
        object? v = Normalize(externalValue);
        for (int i = 0; i < _choices.Length; i++)
            if (ChoiceEquals(_choices[i], v)) return i;
        throw new ArgumentException(
            $"Value {Describe(v)} is not among the choices [{string.Join(", ", _choices.Select(Describe))}].");
    }

    /// <inheritdoc />
    public override object? ToExternal(double internalValue)
    {
        int index = (int)internalValue;
        if (index != internalValue || index < 0 || index >= _choices.Length)
            throw new ArgumentOutOfRangeException(nameof(internalValue),
                $"Categorical index {internalValue} is outside 0..{_choices.Length - 1}.");
        return _choices[index];
    }

    /// <inheritdoc />
    public override bool Contains(double internalValue) =>
        internalValue == Math.Floor(internalValue) && internalValue >= 0 && internalValue < _choices.Length;

    /// <inheritdoc />
    public override bool Equals(Distribution? other) =>
        other is CategoricalDistribution d && d._choices.Length == _choices.Length &&
        _choices.Zip(d._choices).All(p => ChoiceEquals(p.First, p.Second) && p.First?.GetType() == p.Second?.GetType());

    /// <inheritdoc />
    public override int GetHashCode() => _choices.Length;

    /// <summary>Widens a choice to the JSON-representable type Optuna would read back.</summary>
    internal static object? Normalize(object? value) => value switch
    {
        null or bool or string or long or double => value,
        int or short or sbyte or byte or ushort or uint => Convert.ToInt64(value),
        float f => (double)f,
        decimal m => (double)m,
        char c => c.ToString(),
        Enum e => e.ToString(),
        _ => throw new ArgumentException(
            $"Categorical choice of type {value.GetType().Name} is not supported: use null, bool, string, an integer or a float."),
    };

    // Python semantics: 1 == 1.0, but True is not matched against numbers here to keep choices distinct.
    private static bool ChoiceEquals(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        (double x, double y) => x.Equals(y),
        _ => Equals(a, b),
    };

    private static string Describe(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => Json.PyJsonWriter.Write(v),
    };
}
