using System.Globalization;

namespace EdgeAutoMl.Search.Distributions;

/// <summary>Reals in [Low, High], optionally on a grid of <see cref="Step"/> or log-scaled (Optuna's FloatDistribution).</summary>
public sealed class FloatDistribution : Distribution
{
    /// <summary>Creates the distribution; with a step, High is lowered onto the grid as Optuna does.</summary>
    /// <exception cref="ArgumentException">Low &gt; High, non-finite bounds, step ≤ 0, log with a step, or log with Low ≤ 0.</exception>
    public FloatDistribution(double low, double high, double? step = null, bool log = false)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"FloatDistribution: bounds must be finite, got [{low}, {high}].");
        if (log && step is not null)
            throw new ArgumentException("FloatDistribution: step and log cannot be used together.");
        if (step is { } s && !(s > 0)) throw new ArgumentException($"FloatDistribution: step must be > 0, got {s}.");
        if (low > high) throw new ArgumentException($"FloatDistribution: low ({low}) must be <= high ({high}).");
        if (log && low <= 0) throw new ArgumentException($"FloatDistribution: log=true requires low > 0, got low={low}.");
        Low = low;
        High = step is { } st ? AdjustHigh(low, high, st) : high;
        Step = step;
        Log = log;
    }

    /// <summary>Lowest value.</summary>
    public double Low { get; }
    /// <summary>Highest value (on the grid when stepped).</summary>
    public double High { get; }
    /// <summary>Grid spacing, or null for continuous.</summary>
    public double? Step { get; }
    /// <summary>Sample in log space.</summary>
    public bool Log { get; }

    /// <inheritdoc />
    public override string OptunaName => "FloatDistribution";
    /// <inheritdoc />
    public override bool IsSingle
    {
        get
        {
            if (Low == High) return true;
            // A step wider than the range leaves only Low (Optuna's single() does the same check).
            return Step is { } s && (decimal)(High - Low) < (decimal)s;
        }
    }

    /// <inheritdoc />
    public override double ToInternal(object? externalValue) => externalValue switch
    {
        null => throw new ArgumentException("FloatDistribution: value is null."),
        bool => throw new ArgumentException("FloatDistribution: value is a bool, expected a number."),
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(externalValue, CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override object ToExternal(double internalValue) => internalValue;

    /// <inheritdoc />
    public override bool Contains(double internalValue)
    {
        if (!(internalValue >= Low && internalValue <= High)) return false;
        if (Step is not { } s) return true;
        double k = (internalValue - Low) / s;
        return Math.Abs(k - Math.Round(k)) < 1e-8;
    }

    /// <inheritdoc />
    public override bool Equals(Distribution? other) =>
        other is FloatDistribution d && d.Low.Equals(Low) && d.High.Equals(High) && Nullable.Equals(d.Step, Step) && d.Log == Log;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High, Step, Log);

    // Decimal arithmetic avoids 0.1-style float error when snapping High onto the grid.
    private static double AdjustHigh(double low, double high, double step)
    {
        decimal r = ((decimal)high - (decimal)low) / (decimal)step;
        if (r == decimal.Floor(r)) return high;
        return (double)(decimal.Floor(r) * (decimal)step + (decimal)low);
    }
}
