using System.Globalization;

namespace EdgeAutoMl.Search.Distributions;

/// <summary>Integers in [Low, High] on a grid of <see cref="Step"/>, optionally log-scaled (Optuna's IntDistribution).</summary>
public sealed class IntDistribution : Distribution
{
    /// <summary>Creates the distribution; like Optuna, High is lowered onto the step grid.</summary>
    /// <exception cref="ArgumentException">Low &gt; High, Step ≤ 0, or log with Step ≠ 1 or Low &lt; 1.</exception>
    public IntDistribution(long low, long high, long step = 1, bool log = false)
    {
        if (log && step != 1)
            throw new ArgumentException($"IntDistribution: log=true requires step=1, got step={step}.");
        if (step <= 0) throw new ArgumentException($"IntDistribution: step must be > 0, got {step}.");
        if (low > high) throw new ArgumentException($"IntDistribution: low ({low}) must be <= high ({high}).");
        if (log && low < 1) throw new ArgumentException($"IntDistribution: log=true requires low >= 1, got low={low}.");
        Low = low;
        High = high - (high - low) % step;
        Step = step;
        Log = log;
    }

    /// <summary>Lowest value.</summary>
    public long Low { get; }
    /// <summary>Highest value (on the grid).</summary>
    public long High { get; }
    /// <summary>Grid spacing.</summary>
    public long Step { get; }
    /// <summary>Sample in log space.</summary>
    public bool Log { get; }

    /// <inheritdoc />
    public override string OptunaName => "IntDistribution";
    /// <inheritdoc />
    public override bool IsSingle => Low == High;

    /// <inheritdoc />
    public override double ToInternal(object? externalValue)
    {
        double v = externalValue switch
        {
            null => throw new ArgumentException("IntDistribution: value is null."),
            string s => double.Parse(s, CultureInfo.InvariantCulture),
            bool => throw new ArgumentException("IntDistribution: value is a bool, expected an integer."),
            _ => Convert.ToDouble(externalValue, CultureInfo.InvariantCulture),
        };
        return v;
    }

    /// <inheritdoc />
    public override object ToExternal(double internalValue) => (long)Math.Round(internalValue);

    /// <inheritdoc />
    public override bool Contains(double internalValue)
    {
        if (double.IsNaN(internalValue) || internalValue != Math.Floor(internalValue)) return false;
        if (internalValue < Low || internalValue > High) return false;
        return ((long)internalValue - Low) % Step == 0;
    }

    /// <inheritdoc />
    public override bool Equals(Distribution? other) =>
        other is IntDistribution d && d.Low == Low && d.High == High && d.Step == Step && d.Log == Log;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Low, High, Step, Log);
}
