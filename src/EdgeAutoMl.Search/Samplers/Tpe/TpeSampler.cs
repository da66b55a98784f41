using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// Tree-structured Parzen Estimator (Optuna's TPESampler). For each param: split the finished trials into a good group
/// ("below", gamma(n) trials) and the rest, fit one Parzen estimator to each, draw
/// <see cref="TpeOptions.NEiCandidates"/> candidates from the good one and keep the candidate maximising
/// log l(x) − log g(x). With <see cref="TpeOptions.Multivariate"/> the params every finished trial shares are
/// estimated and drawn jointly, once per trial; with <see cref="TpeOptions.Group"/> as well, each group of params that
/// always occur together is, from the trials having it. With several objectives the split is MOTPE's (non-domination rank,
/// hypervolume tie-break) and the good kernels are weighted by hypervolume contribution. With
/// <see cref="TpeOptions.ConstantLiar"/> RUNNING trials join the bad group. Random until
/// <see cref="TpeOptions.NStartupTrials"/> trials have finished. Deterministic for a given seed and call order.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private static readonly TrialState[] UsedStates = [TrialState.Complete, TrialState.Pruned];
    private static readonly TrialState[] LiarStates = [TrialState.Complete, TrialState.Pruned, TrialState.Running];
    private readonly Random _rng;
    private readonly object _gate = new();
    private readonly ObservationColumns _columns = new();
    private readonly IntersectionSearchSpace _searchSpace = new();
    private readonly GroupDecomposedSearchSpace? _groupSpace;

    /// <summary>Creates the sampler with Optuna's defaults unless <paramref name="options"/> says otherwise.</summary>
    public TpeSampler(int? seed = null, TpeOptions? options = null)
    {
        _rng = seed is { } s ? new Random(s) : new Random();
        Options = options ?? new TpeOptions();
        if (Options.NStartupTrials < 0) throw new ArgumentException("NStartupTrials must be >= 0.");
        if (Options.NEiCandidates < 1) throw new ArgumentException("NEiCandidates must be >= 1.");
        if (Options.Group && !Options.Multivariate)
            throw new ArgumentException("TpeOptions.Group needs TpeOptions.Multivariate (as Optuna's TPESampler).");
        // As Optuna: pruned trials' params count, as they do for the intersection below.
        if (Options.Group) _groupSpace = new GroupDecomposedSearchSpace(includePruned: true);
    }

    /// <summary>Convenience constructor with the common knobs.</summary>
    public TpeSampler(int? seed, int nStartupTrials, int nEiCandidates = 24)
        : this(seed, new TpeOptions { NStartupTrials = nStartupTrials, NEiCandidates = nEiCandidates }) { }

    /// <summary>The settings in use.</summary>
    public TpeOptions Options { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        if (!Options.Multivariate) return new Dictionary<string, Distribution>();
        if (_groupSpace is not null)
        {
            // Every param of every group, single-valued ones left out; SampleRelative draws them group by group.
            var grouped = new Dictionary<string, Distribution>();
            foreach (IReadOnlyDictionary<string, Distribution> group in _groupSpace.Calculate(study))
                foreach (var (name, d) in group)
                    if (!d.IsSingle) grouped[name] = d;
            return grouped;
        }
        // As Optuna: the intersection over finished trials (pruned ones included), single-valued params left out.
        IReadOnlyDictionary<string, Distribution> space = _searchSpace.Calculate(study, includePruned: true);
        var result = new Dictionary<string, Distribution>();
        foreach (var (name, d) in space)
            if (!d.IsSingle) result[name] = d;
        return result;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial,
        IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        if (searchSpace.Count == 0) return new Dictionary<string, double>();
        IReadOnlyList<FrozenTrial> trials = ObservedTrials(study);
        lock (_gate)
        {
            SplitResult split = GetSplit(study, trials);
            if (split.FinishedCount < Options.NStartupTrials) return new Dictionary<string, double>();
            var result = new Dictionary<string, double>(searchSpace.Count);
            if (_groupSpace is null)
            {
                SampleJoint(study, trials, split, searchSpace.Keys.ToArray(), searchSpace, result); // ordered by name: every process orders them alike
                return result;
            }
            // Group by group in the decomposition's order (Optuna's; it decides the order of the draws), params by
            // name. The groups are taken again rather than kept from InferRelativeSearchSpace (another worker may
            // have asked since): they can only have split further, so every param of the space is still in one.
            foreach (IReadOnlyDictionary<string, Distribution> group in _groupSpace.Calculate(study))
            {
                string[] names = group.Keys.Where(searchSpace.ContainsKey).ToArray();
                if (names.Length > 0) SampleJoint(study, trials, split, names, searchSpace, result);
            }
            return result;
        }
    }

    // One joint draw of the params `names` (from the trials having all of them) into `result`.
    private void SampleJoint(Study study, IReadOnlyList<FrozenTrial> trials, SplitResult split, string[] names,
        IReadOnlyDictionary<string, Distribution> searchSpace, Dictionary<string, double> result)
    {
        Distribution[] dists = names.Select(n => searchSpace[n]).ToArray();
        double[][] columns = names.Select((n, d) => _columns.Get(study.StudyId, trials, n, dists[d])).ToArray();
        var (belowObs, belowW) = JointObservations(split.BelowIndices, split.BelowWeights, columns, Options.Weights);
        var (aboveObs, aboveW) = JointObservations(split.AboveIndices, null, columns, Options.Weights);
        var good = new MultivariateParzenEstimator(dists, belowObs, belowW, Options);
        var bad = new MultivariateParzenEstimator(dists, aboveObs, aboveW, Options);
        double[][] candidates = good.Sample(_rng, Options.NEiCandidates);
        double[] logL = good.LogPdf(candidates), logG = bad.LogPdf(candidates);
        int best = 0;
        for (int i = 1; i < candidates.Length; i++)
            if (logL[i] - logG[i] > logL[best] - logG[best]) best = i;
        for (int d = 0; d < names.Length; d++) result[names[d]] = candidates[best][d];
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string paramName, Distribution distribution)
    {
        IReadOnlyList<FrozenTrial> trials = ObservedTrials(study);
        lock (_gate)
        {
            SplitResult split = GetSplit(study, trials);
            if (split.FinishedCount < Options.NStartupTrials) return UniformDraw.Draw(_rng, distribution);

            double[] column = _columns.Get(study.StudyId, trials, paramName, distribution);
            var (belowObs, belowW) = Observations(split.BelowIndices, split.BelowWeights, column, Options.Weights);
            List<double> aboveObs = Values(split.AboveIndices, column);

            var good = new ParzenEstimator(distribution, belowObs, belowW, Options);
            var bad = new ParzenEstimator(distribution, aboveObs, AboveWeights(aboveObs.Count), Options,
                _columns.ObservationOrder(paramName, split.AboveIndices, column));
            double[] candidates = good.Sample(_rng, Options.NEiCandidates);
            Span<double> scratch = Scratch(Math.Max(good.KernelCount, bad.KernelCount));
            // Ints, stepped floats and categoricals draw few distinct candidates (24 draws of a bit width 2..8 give at
            // most 7): each distinct one is scored once. The score depends on the value only, so nothing else changes.
            bool discrete = distribution is not FloatDistribution { Step: null };
            int scored = 0;
            double best = candidates[0], bestScore = double.NegativeInfinity;
            foreach (double c in candidates)
            {
                double score = double.NaN;
                long bits = BitConverter.DoubleToInt64Bits(c);
                for (int j = 0; j < scored; j++)
                    if (_scoredBits[j] == bits) { score = _scores[j]; break; }
                if (double.IsNaN(score))
                {
                    score = good.LogPdf(c, scratch) - bad.LogPdf(c, scratch);
                    if (discrete && scored < _scores.Length) (_scoredBits[scored], _scores[scored++]) = (bits, score);
                }
                if (score > bestScore) { bestScore = score; best = c; }
            }
            return best;
        }
    }

    // Distinct discrete candidates of one param and their scores (a handful; a linear search beats hashing).
    private readonly long[] _scoredBits = new long[16];
    private readonly double[] _scores = new double[16];

    // Room for the per-kernel terms of one log density, reused across candidates, params and trials (under _gate).
    private double[] _scratch = [];

    private Span<double> Scratch(int length)
    {
        if (_scratch.Length < length) _scratch = new double[Math.Max(length, 2 * _scratch.Length)];
        return _scratch.AsSpan(0, length);
    }

    // The trials TPE learns from: finished ones, and RUNNING ones too under constant liar.
    private IReadOnlyList<FrozenTrial> ObservedTrials(Study study) =>
        study.GetTrials(Options.ConstantLiar ? LiarStates : UsedStates, useCache: true);

    /// <summary>
    /// Reuse the split (and MOTPE's weights) across the params of a trial. On by default; off only to check that the
    /// cached path suggests exactly what the uncached one does.
    /// </summary>
    internal bool CacheSplit { get; init; } = true;

    // Below/Above: indices into the snapshot, ascending (trial-number order). BelowWeights: MOTPE's, by position in Below.
    private sealed record SplitResult(int StudyId, IReadOnlyList<FrozenTrial> Snapshot, int Count, int FinishedCount,
        int[] BelowIndices, int[] AboveIndices, double[]? BelowWeights);

    private SplitResult? _split;

    // The split depends only on the snapshot's trials. Without constant liar these are the finished trials, which never
    // change nor leave the set, so (study, number of finished trials) identifies it: computed once per trial instead
    // of once per param, which matters for MOTPE whose split runs a non-dominated sort and hypervolume subset
    // selection. With constant liar the RUNNING trials change too: the split is kept for one snapshot only.
    private SplitResult GetSplit(Study study, IReadOnlyList<FrozenTrial> trials)
    {
        if (CacheSplit && _split is { } cached && cached.StudyId == study.StudyId && cached.Count == trials.Count &&
            (!Options.ConstantLiar || ReferenceEquals(cached.Snapshot, trials)))
            return cached;
        int finished = 0;
        foreach (FrozenTrial t in trials) if (t.State.IsFinished()) finished++;
        bool constraintsEnabled = Options.ConsiderConstraints && AnyConstraints(trials);
        var (belowIndices, aboveIndices) = TrialSplitter.SplitIndices(trials, study.Directions, Options.Gamma(finished), constraintsEnabled);
        // Optuna: the ramp weights apply to the observations of each param; MOTPE's hypervolume weights are
        // computed over the whole good group and then restricted to trials having the param.
        double[]? belowWeights = study.IsMultiObjective
            ? TpeWeights.MultiObjectiveBelowWeights(belowIndices.Select(i => trials[i]).ToList(), study.Directions, constraintsEnabled)
            : null;
        return _split = new SplitResult(study.StudyId, trials, trials.Count, finished, belowIndices, aboveIndices, belowWeights);
    }

    // Whether any trial carries constraints. Finished trials never change, so the answer for the part of the snapshot
    // read before (same last trial in the same place: nothing inserted before it) is kept and only later trials are
    // read; RUNNING trials (constant liar) are read every time, as they may still set constraints.
    private bool AnyConstraints(IReadOnlyList<FrozenTrial> trials)
    {
        int from = 0;
        if (_constraintsRead > 0 && trials.Count >= _constraintsRead && trials[_constraintsRead - 1].TrialId == _constraintsLastId)
        {
            if (_constraintsSeen) return true;
            from = _constraintsRead;
        }
        else _constraintsSeen = false;
        bool any = _constraintsSeen;
        int prefix = from;
        for (int i = from; i < trials.Count; i++)
        {
            if (trials[i].Constraints is not null) any = true;
            if (prefix == i && trials[i].State.IsFinished())
            {
                prefix = i + 1;
                _constraintsSeen |= trials[i].Constraints is not null;
            }
        }
        _constraintsRead = prefix;
        _constraintsLastId = prefix > 0 ? trials[prefix - 1].TrialId : -1;
        return any;
    }

    private int _constraintsRead, _constraintsLastId = -1;
    private bool _constraintsSeen;

    // The "above" mixture weights for a number of observations. Every param a trial has in all its "above" trials has
    // the same number of observations, hence the same weights: with Optuna's default weights function (a pure function
    // of the count) they are normalised and logged once, not once per param. A custom function is called every time.
    private ParzenEstimator.MixtureWeights AboveWeights(int count)
    {
        if (Options.Weights != DefaultWeights)
            return new ParzenEstimator.MixtureWeights(Options.Weights(count), Options.PriorWeight);
        if (_aboveWeights?.Weights.Length != count + 1)
            _aboveWeights = new ParzenEstimator.MixtureWeights(TpeWeights.DefaultWeights(count), Options.PriorWeight);
        return _aboveWeights;
    }

    private static readonly Func<int, double[]> DefaultWeights = TpeWeights.DefaultWeights;
    private ParzenEstimator.MixtureWeights? _aboveWeights;

    // Values of the param in the given rows that have it.
    private static List<double> Values(int[] rows, double[] column)
    {
        var values = new List<double>(rows.Length);
        foreach (int r in rows)
            if (!double.IsNaN(column[r])) values.Add(column[r]);
        return values;
    }

    // Values of the param in the given rows that have it, with their weights (given per row, else weightsFunc's).
    private static (List<double> Values, List<double> Weights) Observations(int[] rows, double[]? weights,
        double[] column, Func<int, double[]> weightsFunc)
    {
        var values = new List<double>(rows.Length);
        var w = new List<double>(weights is null ? 0 : rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            double v = column[rows[i]];
            if (double.IsNaN(v)) continue;
            values.Add(v);
            if (weights is not null) w.Add(weights[i]);
        }
        if (weights is null) w.AddRange(weightsFunc(values.Count));
        return (values, w);
    }

    // Rows that have every param of the joint space, as one column per param, with their weights.
    private static (double[][] Columns, double[] Weights) JointObservations(int[] rows, double[]? weights,
        double[][] columns, Func<int, double[]> weightsFunc)
    {
        var kept = new List<int>(rows.Length);
        for (int i = 0; i < rows.Length; i++)
            if (columns.All(c => !double.IsNaN(c[rows[i]]))) kept.Add(i);
        var result = new double[columns.Length][];
        for (int d = 0; d < columns.Length; d++)
        {
            result[d] = new double[kept.Count];
            for (int j = 0; j < kept.Count; j++) result[d][j] = columns[d][rows[kept[j]]];
        }
        double[] w = weights is null ? weightsFunc(kept.Count) : kept.Select(i => weights[i]).ToArray();
        return (result, w);
    }
}
