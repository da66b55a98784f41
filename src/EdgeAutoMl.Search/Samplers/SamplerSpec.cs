using System.Globalization;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Qmc;
using EdgeAutoMl.Search.Samplers.Tpe;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// Samplers by a short text spec, for command lines: <c>NAME[:key=value,...]</c> with Optuna's sampler and argument
/// names, e.g. <c>tpe</c>, <c>tpe:multivariate,constant_liar</c> (a bare key means true), <c>tpe:multivariate,group</c>,
/// <c>tpe:n_startup_trials=20,n_ei_candidates=48</c>, <c>nsga2:population_size=20</c>, <c>qmc:scramble</c>.
/// </summary>
public static class SamplerSpec
{
    /// <summary>Sampler names a spec may start with (<c>motpe</c> is TPE, which handles several objectives itself).</summary>
    public static readonly IReadOnlyList<string> Names = ["tpe", "motpe", "random", "nsga2", "qmc", "grid", "gp"];

    /// <summary>Options each sampler accepts (Optuna's argument names).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> OptionNames = new Dictionary<string, IReadOnlyList<string>>
    {
        ["tpe"] = ["multivariate", "group", "constant_liar", "n_startup_trials", "n_ei_candidates", "prior_weight", "consider_magic_clip", "consider_endpoints", "normalized_kernels"],
        ["random"] = [],
        ["nsga2"] = ["population_size", "mutation_prob", "crossover_prob", "swapping_prob"],
        ["qmc"] = ["scramble"],
        ["grid"] = [],
        ["gp"] = ["n_startup_trials"],
    };

    /// <summary>Splits a spec into its sampler name (lower case, aliases resolved) and options.</summary>
    /// <exception cref="ArgumentException">Unknown sampler or option, or a malformed option.</exception>
    public static (string Name, IReadOnlyDictionary<string, string> Options) Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        int colon = spec.IndexOf(':');
        string name = (colon < 0 ? spec : spec[..colon]).Trim().ToLowerInvariant() switch
        {
            "tpe" or "motpe" => "tpe",
            "nsga2" or "nsgaii" => "nsga2",
            "qmc" or "sobol" => "qmc",
            var n => n,
        };
        if (!OptionNames.TryGetValue(name, out IReadOnlyList<string>? allowed))
            throw new ArgumentException($"Sampler '{spec}': unknown sampler '{name}'; known: {string.Join(", ", Names)}.");
        var options = new Dictionary<string, string>();
        if (colon >= 0)
            foreach (string part in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = part.IndexOf('=');
                string key = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
                string value = eq < 0 ? "true" : part[(eq + 1)..].Trim();
                if (!allowed.Contains(key))
                    throw new ArgumentException(allowed.Count == 0
                        ? $"Sampler '{spec}': {name} takes no options, got '{key}'."
                        : $"Sampler '{spec}': unknown option '{key}' for {name}; known: {string.Join(", ", allowed)}.");
                options[key] = value;
            }
        return (name, options);
    }

    /// <summary>Creates the sampler a spec names, seeded.</summary>
    /// <param name="spec">The spec (see the class remarks).</param>
    /// <param name="seed">Seed.</param>
    /// <param name="gridSpace">The grid for <c>grid</c>: values of each param.</param>
    /// <exception cref="ArgumentException">Bad spec or option value; <c>grid</c> without a grid.</exception>
    public static ISampler Create(string spec, int seed, IReadOnlyDictionary<string, object?[]>? gridSpace = null)
    {
        var (name, o) = Parse(spec);
        switch (name)
        {
            case "tpe":
                var defaults = new TpeOptions();
                bool multivariate = Bool(spec, o, "multivariate", defaults.Multivariate), group = Bool(spec, o, "group", defaults.Group);
                if (group && !multivariate)
                    throw new ArgumentException($"Sampler '{spec}': option group needs multivariate (as Optuna's TPESampler), e.g. tpe:multivariate,group.");
                return new TpeSampler(seed, defaults with
                {
                    Multivariate = multivariate,
                    Group = group,
                    ConstantLiar = Bool(spec, o, "constant_liar", defaults.ConstantLiar),
                    NStartupTrials = Int(spec, o, "n_startup_trials", defaults.NStartupTrials),
                    NEiCandidates = Int(spec, o, "n_ei_candidates", defaults.NEiCandidates),
                    PriorWeight = Double(spec, o, "prior_weight", defaults.PriorWeight),
                    ConsiderMagicClip = Bool(spec, o, "consider_magic_clip", defaults.ConsiderMagicClip),
                    ConsiderEndpoints = Bool(spec, o, "consider_endpoints", defaults.ConsiderEndpoints),
                    NormalizedKernels = Bool(spec, o, "normalized_kernels", defaults.NormalizedKernels),
                });
            case "random":
                return new RandomSampler(seed);
            case "nsga2":
                var n = new Nsga2Options();
                return new Nsga2Sampler(seed, n with
                {
                    PopulationSize = Int(spec, o, "population_size", n.PopulationSize),
                    MutationProb = o.ContainsKey("mutation_prob") ? Double(spec, o, "mutation_prob", 0) : n.MutationProb,
                    CrossoverProb = Double(spec, o, "crossover_prob", n.CrossoverProb),
                    SwappingProb = Double(spec, o, "swapping_prob", n.SwappingProb),
                });
            case "qmc":
                return new QmcSampler(scramble: Bool(spec, o, "scramble", false), seed: seed);
            case "grid":
                return new GridSampler(gridSpace ?? throw new ArgumentException(
                    $"Sampler '{spec}': grid needs the grid (the values of every param) from the caller."), seed);
            case "gp":
                return new Gp.GpSampler(seed, new Gp.GpOptions { NStartupTrials = Int(spec, o, "n_startup_trials", new Gp.GpOptions().NStartupTrials) });
            default:
                throw new ArgumentException($"Sampler '{spec}': unknown sampler '{name}'.");
        }
    }

    private static bool Bool(string spec, IReadOnlyDictionary<string, string> o, string key, bool fallback) =>
        !o.TryGetValue(key, out string? v) ? fallback : v.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new ArgumentException($"Sampler '{spec}': option {key} takes true or false, got '{v}'."),
        };

    private static int Int(string spec, IReadOnlyDictionary<string, string> o, string key, int fallback) =>
        !o.TryGetValue(key, out string? v) ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) ? i
        : throw new ArgumentException($"Sampler '{spec}': option {key} takes an integer, got '{v}'.");

    private static double Double(string spec, IReadOnlyDictionary<string, string> o, string key, double fallback) =>
        !o.TryGetValue(key, out string? v) ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d
        : throw new ArgumentException($"Sampler '{spec}': option {key} takes a number, got '{v}'.");
}
