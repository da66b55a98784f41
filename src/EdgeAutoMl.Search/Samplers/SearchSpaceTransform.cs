using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// Maps numeric distributions to a continuous box and back (Optuna's _SearchSpaceTransform with log and step
/// transforms): log params live in log space; int and stepped params get half a step of margin on each side so the
/// end values own a full cell, and are rounded back onto their grid.
/// </summary>
public static class SearchSpaceTransform
{
    /// <summary>Bounds of the continuous box of a numeric distribution.</summary>
    /// <exception cref="ArgumentException">Categorical distribution.</exception>
    public static (double Low, double High) Bounds(Distribution d) => d switch
    {
        IntDistribution { Log: true } i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5)),
        IntDistribution i => (i.Low - 0.5 * i.Step, i.High + 0.5 * i.Step),
        FloatDistribution { Log: true } f => (Math.Log(f.Low), Math.Log(f.High)),
        FloatDistribution { Step: { } s } f => (f.Low - 0.5 * s, f.High + 0.5 * s),
        FloatDistribution f => (f.Low, f.High),
        _ => throw new ArgumentException($"{d.OptunaName} has no continuous transform."),
    };

    /// <summary>Internal value → point in the box.</summary>
    public static double Transform(Distribution d, double internalValue) =>
        d is IntDistribution { Log: true } or FloatDistribution { Log: true } ? Math.Log(internalValue) : internalValue;

    /// <summary>Point in the box → internal value (exp for log params, snapped to the grid, clipped to the range).</summary>
    public static double Untransform(Distribution d, double x)
    {
        switch (d)
        {
            case IntDistribution i:
            {
                double v = i.Log ? Math.Exp(x) : x;
                v = i.Low + Math.Round((v - i.Low) / i.Step) * i.Step;
                return Math.Clamp(v, i.Low, i.High);
            }
            case FloatDistribution { Log: true } f:
                return Math.Clamp(Math.Exp(x), f.Low, f.High);
            case FloatDistribution { Step: { } s } f:
                return Math.Clamp(f.Low + Math.Round((x - f.Low) / s) * s, f.Low, f.High);
            case FloatDistribution f:
                return Math.Clamp(x, f.Low, f.High);
            default:
                throw new ArgumentException($"{d.OptunaName} has no continuous transform.");
        }
    }
}
