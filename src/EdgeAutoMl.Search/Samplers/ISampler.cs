using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// Proposes param values (Optuna's BaseSampler). As in Optuna, a sampler may sample a joint
/// <em>relative</em> search space once per trial (e.g. multivariate TPE, GP, CMA-ES) and falls back to
/// <em>independent</em> sampling, one param at a time, for everything else. All values are in the
/// internal representation. Samplers are deterministic for a given seed and call sequence.
/// </summary>
public interface ISampler
{
    /// <summary>Params to sample jointly for this trial; empty for purely independent samplers.</summary>
    IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial) =>
        new Dictionary<string, Distribution>();

    /// <summary>Joint sample of <paramref name="searchSpace"/> (internal values), called once when the trial starts.</summary>
    IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial,
        IReadOnlyDictionary<string, Distribution> searchSpace) => new Dictionary<string, double>();

    /// <summary>One param outside the relative search space (internal value).</summary>
    double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution);

    /// <summary>Called when a trial starts (after it is RUNNING in storage).</summary>
    void BeforeTrial(Study study, FrozenTrial trial) { }

    /// <summary>Called before the final state and values are written.</summary>
    void AfterTrial(Study study, FrozenTrial trial, TrialState state, IReadOnlyList<double>? values) { }
}
