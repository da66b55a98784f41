using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Samplers;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// Maps the CLI's <c>--sampler</c> spec to a sampler (Optuna's names and option names, see <see cref="SamplerSpec"/>):
/// <c>tpe</c> (alias <c>motpe</c>; options <c>multivariate</c>, <c>constant_liar</c>, <c>n_startup_trials</c>, ...),
/// <c>random</c>, <c>nsga2</c> (<c>population_size</c>, ...), <c>qmc</c> (<c>scramble</c>) and <c>grid</c>.
/// </summary>
public static class SamplerFactory
{
    /// <summary>Sampler names <c>--sampler</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = SamplerSpec.Names;

    /// <summary>
    /// Creates the sampler; an unknown name or option lists the known ones. <c>grid</c> needs
    /// <paramref name="gridSpace"/>, e.g. <see cref="BitWidthGrid"/> of the model's layers.
    /// </summary>
    public static ISampler Create(string name, int seed, bool constrained, IReadOnlyDictionary<string, object?[]>? gridSpace = null)
    {
        try
        {
            return SamplerSpec.Create(name, seed, gridSpace);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--sampler: {e.Message}", e);
        }
    }

    /// <summary>The grid over the bit-width space: every layer's bits param (<see cref="SearchJob.BitsParam"/>) × [minBits, maxBits].</summary>
    public static IReadOnlyDictionary<string, object?[]> BitWidthGrid(IEnumerable<string> layers, int minBits, int maxBits)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (minBits > maxBits) throw new ArgumentException($"Bit-width grid: min bits {minBits} > max bits {maxBits}.");
        object?[] bits = Enumerable.Range(minBits, maxBits - minBits + 1).Select(b => (object?)(long)b).ToArray();
        return layers.ToDictionary(SearchJob.BitsParam, _ => bits);
    }
}
