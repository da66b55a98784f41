using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>Uniform draws in each distribution's natural scale (log-uniform for log ones), as Optuna's RandomSampler.</summary>
public static class UniformDraw
{
    /// <summary>Draws one internal value.</summary>
    public static double Draw(Random rng, Distribution distribution)
    {
        switch (distribution)
        {
            case IntDistribution d when d.Log:
            {
                // ±0.5 widens the range so that both end integers get a full rounding cell.
                double lo = Math.Log(d.Low - 0.5), hi = Math.Log(d.High + 0.5);
                double v = Math.Round(Math.Exp(lo + rng.NextDouble() * (hi - lo)));
                return Math.Clamp(v, d.Low, d.High);
            }
            case IntDistribution d:
                return d.Low + d.Step * rng.NextInt64(0, (d.High - d.Low) / d.Step + 1);
            case FloatDistribution d when d.Log:
            {
                double lo = Math.Log(d.Low), hi = Math.Log(d.High);
                return Math.Clamp(Math.Exp(lo + rng.NextDouble() * (hi - lo)), d.Low, d.High);
            }
            case FloatDistribution { Step: { } step } d:
            {
                long n = (long)Math.Floor((d.High - d.Low) / step + 1e-8);
                return Math.Min(d.Low + step * rng.NextInt64(0, n + 1), d.High);
            }
            case FloatDistribution d:
                return d.Low + rng.NextDouble() * (d.High - d.Low);
            case CategoricalDistribution d:
                return rng.Next(d.Choices.Count);
            default:
                throw new ArgumentException($"Unknown distribution type {distribution.GetType().Name}.");
        }
    }
}
