using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// Tree-structured Parzen Estimator (Optuna's TPESampler, univariate mode). For each param: split the finished
/// trials into a good group ("below", gamma(n) trials) and the rest, fit one Parzen estimator to each, draw
/// <see cref="TpeOptions.NEiCandidates"/> candidates from the good one and keep the candidate maximising
/// log l(x) − log g(x). With several objectives the split is MOTPE's (non-domination rank, hypervolume tie-break)
/// and the good kernels are weighted by hypervolume contribution. Random until <see cref="TpeOptions.NStartupTrials"/>
/// trials have finished. Deterministic for a given seed and call order.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private static readonly TrialState[] UsedStates = [TrialState.Complete, TrialState.Pruned];
    private readonly Random _rng;
    private readonly object _gate = new();

    /// <summary>Creates the sampler with Optuna's defaults unless <paramref name="options"/> says otherwise.</summary>
    public TpeSampler(int? seed = null, TpeOptions? options = null)
    {
        _rng = seed is { } s ? new Random(s) : new Random();
        Options = options ?? new TpeOptions();
        if (Options.NStartupTrials < 0) throw new ArgumentException("NStartupTrials must be >= 0.");
        if (Options.NEiCandidates < 1) throw new ArgumentException("NEiCandidates must be >= 1.");
    }

    /// <summary>Convenience constructor with the common knobs.</summary>
    public TpeSampler(int? seed, int nStartupTrials, int nEiCandidates = 24)
        : this(seed, new TpeOptions { NStartupTrials = nStartupTrials, NEiCandidates = nEiCandidates }) { }

    /// <summary>The settings in use.</summary>
    public TpeOptions Options { get; }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution)
    {
        IReadOnlyList<FrozenTrial> trials = study.GetTrials(UsedStates, useCache: true);
        lock (_gate)
        {
            if (trials.Count < Options.NStartupTrials) return UniformDraw.Draw(_rng, distribution);

            SplitResult split = GetSplit(study, trials);
            var (below, above, belowWeightsAll) = (split.Below, split.Above, split.BelowWeights);
            var (belowObs, belowW) = Observations(below, belowWeightsAll, paramName, distribution, Options.Weights);
            var (aboveObs, aboveW) = Observations(above, null, paramName, distribution, Options.Weights);

            var good = new ParzenEstimator(distribution, belowObs, belowW, Options);
            var bad = new ParzenEstimator(distribution, aboveObs, aboveW, Options);
            double[] candidates = good.Sample(_rng, Options.NEiCandidates);
            double best = candidates[0], bestScore = double.NegativeInfinity;
            foreach (double c in candidates)
            {
                double score = good.LogPdf(c) - bad.LogPdf(c);
                if (score > bestScore) { bestScore = score; best = c; }
            }
            return best;
        }
    }

    /// <summary>
    /// Reuse the split (and MOTPE's weights) across the params of a trial. On by default; off only to check that the
    /// cached path suggests exactly what the uncached one does.
    /// </summary>
    internal bool CacheSplit { get; init; } = true;

    private sealed record SplitResult(int StudyId, int FinishedCount, List<FrozenTrial> Below, List<FrozenTrial> Above,
        double[]? BelowWeights);

    private SplitResult? _split;

    // The split depends only on the set of finished trials, and finished trials never change nor leave that set, so
    // (study, number of finished trials) identifies it: computed once per trial instead of once per param, which
    // matters for MOTPE whose split runs a non-dominated sort and hypervolume subset selection.
    private SplitResult GetSplit(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        if (CacheSplit && _split is { } cached && cached.StudyId == study.StudyId && cached.FinishedCount == trials.Count)
            return cached;
        bool constraintsEnabled = Options.ConsiderConstraints && trials.Any(t => t.Constraints is not null);
        var (below, above) = TrialSplitter.Split(trials, study.Directions, Options.Gamma(trials.Count), constraintsEnabled);
        // Optuna: the ramp weights apply to the observations of each param; MOTPE's hypervolume weights are
        // computed over the whole good group and then restricted to trials having the param.
        double[]? belowWeights = study.IsMultiObjective
            ? TpeWeights.MultiObjectiveBelowWeights(below, study.Directions, constraintsEnabled)
            : null;
        return _split = new SplitResult(study.StudyId, trials.Count, below, above, belowWeights);
    }

    // Internal values of the param in trials that have it with a compatible distribution, with their weights.
    private static (List<double> Values, List<double> Weights) Observations(List<FrozenTrial> trials, double[]? weights,
        string paramName, Distribution distribution, Func<int, double[]> weightsFunc)
    {
        var values = new List<double>();
        var w = new List<double>();
        for (int i = 0; i < trials.Count; i++)
        {
            if (!trials[i].InternalParams.TryGetValue(paramName, out double v)) continue;
            Distribution seen = trials[i].Distributions[paramName];
            if (seen.GetType() != distribution.GetType()) continue;
            if (distribution is CategoricalDistribution && !seen.Equals(distribution)) continue;
            if (distribution is not CategoricalDistribution)
            {
                // A numeric param whose range changed: keep observations that still fit the new range.
                if (distribution is IntDistribution id && (v < id.Low || v > id.High)) continue;
                if (distribution is FloatDistribution fd && (v < fd.Low || v > fd.High)) continue;
            }
            values.Add(v);
            if (weights is not null) w.Add(weights[i]);
        }
        if (weights is null) w.AddRange(weightsFunc(values.Count));
        return (values, w);
    }
}
