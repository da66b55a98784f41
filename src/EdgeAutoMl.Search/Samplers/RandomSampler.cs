using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>Independent uniform sampling (Optuna's RandomSampler). Deterministic when seeded.</summary>
public sealed class RandomSampler : ISampler
{
    private readonly Random _rng;
    private readonly object _gate = new();

    /// <summary>Creates the sampler; null seed = nondeterministic.</summary>
    public RandomSampler(int? seed = null) => _rng = seed is { } s ? new Random(s) : new Random();

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution)
    {
        lock (_gate) return UniformDraw.Draw(_rng, distribution);
    }
}
