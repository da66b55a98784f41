using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>Maps the CLI's <c>--sampler</c> names to samplers (Optuna's names).</summary>
public static class SamplerFactory
{
    /// <summary>Sampler names <c>--sampler</c> accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["tpe", "motpe", "random", "gp"];

    /// <summary>Creates the sampler; an unknown name lists the known ones.</summary>
    public static ISampler Create(string name, int seed, bool constrained) => name.ToLowerInvariant() switch
    {
        // Optuna's TPESampler handles one or several objectives; motpe is the same sampler
        // under the name Optuna users know from MOTPESampler.
        "tpe" or "motpe" => new TpeSampler(seed: seed),
        "random" => new RandomSampler(seed),
        "gp" => new EdgeAutoMl.Search.Samplers.Gp.GpSampler(seed),
        _ => throw new ArgumentException($"--sampler '{name}': known samplers are {string.Join(", ", Names)} (nsga2, grid come with the search-engine issue)"),
    };
}
