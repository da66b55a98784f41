using System.IO.Hashing;
using System.Text;

namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// Hyperband (Optuna's HyperbandPruner): several successive-halving brackets with different early-stopping rates;
/// each trial belongs to one bracket chosen by CRC32 of "{study name}_{trial number}" modulo the total budget (so
/// every worker agrees without coordination), and competes only with the trials of its bracket.
/// Defaults: min_resource 1, max_resource "auto" (last step of the longest completed trial + 1), reduction 3.
/// </summary>
public sealed class HyperbandPruner : IPruner
{
    private readonly object _gate = new();
    private int? _maxResource;
    private readonly List<SuccessiveHalvingPruner> _pruners = [];
    private readonly List<int> _budgets = [];
    private int _totalBudget;

    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">Steps of the first rung of the most aggressive bracket.</param>
    /// <param name="maxResource">Steps of a full trial; null for "auto".</param>
    /// <param name="reductionFactor">η of every bracket.</param>
    /// <param name="bootstrapCount">Passed to each bracket; needs a fixed maxResource.</param>
    public HyperbandPruner(int minResource = 1, int? maxResource = null, int reductionFactor = 3, int bootstrapCount = 0)
    {
        if (minResource < 1) throw new ArgumentOutOfRangeException(nameof(minResource), $"min_resource is {minResource}, but must be >= 1.");
        if (maxResource is < 1) throw new ArgumentOutOfRangeException(nameof(maxResource), $"max_resource is {maxResource}, but must be >= 1 or \"auto\" (null).");
        if (reductionFactor < 2) throw new ArgumentOutOfRangeException(nameof(reductionFactor), $"reduction_factor is {reductionFactor}, but must be >= 2.");
        if (bootstrapCount > 0 && maxResource is null)
            throw new ArgumentException("bootstrap_count > 0 and max_resource \"auto\" are mutually incompatible.", nameof(bootstrapCount));
        MinResource = minResource;
        _maxResource = maxResource;
        ReductionFactor = reductionFactor;
        BootstrapCount = bootstrapCount;
    }

    /// <summary>Steps of the first rung of bracket 0.</summary>
    public int MinResource { get; }
    /// <summary>Reduction factor η.</summary>
    public int ReductionFactor { get; }
    /// <summary>Bootstrap count of each bracket.</summary>
    public int BootstrapCount { get; }
    /// <summary>Number of brackets: floor(log_η(max/min)) + 1, or null before max_resource is known.</summary>
    public int? NBrackets { get { lock (_gate) return _pruners.Count == 0 ? null : _pruners.Count; } }

    /// <inheritdoc />
    public bool Prune(Study study, FrozenTrial trial)
    {
        SuccessiveHalvingPruner bracketPruner;
        int bracket;
        lock (_gate)
        {
            if (_pruners.Count == 0)
            {
                Initialise(study);
                if (_pruners.Count == 0) return false;
            }
            bracket = BracketOf(study.Name, trial.Number);
            bracketPruner = _pruners[bracket];
        }
        return bracketPruner.Prune(study, trial, () => TrialsOfBracket(study, bracket));
    }

    /// <summary>Bracket of a trial, as Optuna computes it (stable across processes). −1 before initialisation.</summary>
    public int BracketOf(string studyName, int trialNumber)
    {
        lock (_gate)
        {
            if (_pruners.Count == 0) return -1;
            long n = Crc32.HashToUInt32(Encoding.UTF8.GetBytes($"{studyName}_{trialNumber}")) % _totalBudget;
            for (int b = 0; b < _budgets.Count; b++)
            {
                n -= _budgets[b];
                if (n < 0) return b;
            }
            throw new InvalidOperationException("Unreachable: budgets sum to the total.");
        }
    }

    private IReadOnlyList<FrozenTrial> TrialsOfBracket(Study study, int bracket) =>
        study.GetTrials(null, useCache: false).Where(t => BracketOf(study.Name, t.Number) == bracket).ToList();

    private void Initialise(Study study)
    {
        if (_maxResource is null)
        {
            int? longest = null;
            foreach (FrozenTrial t in study.GetTrials(TrialState.Complete))
                if (t.LastStep is { } s && (longest is null || s > longest)) longest = s;
            if (longest is null) return;
            _maxResource = longest.Value + 1;
        }
        int nBrackets = (int)Math.Floor(Math.Log((double)_maxResource.Value / MinResource, ReductionFactor)) + 1;
        for (int b = 0; b < nBrackets; b++)
        {
            // Hyperband's budget: bracket s = n−1−b gets ceil(n·η^s / (s+1)) of the trials.
            int s = nBrackets - 1 - b;
            int budget = (int)Math.Ceiling(nBrackets * Math.Pow(ReductionFactor, s) / (s + 1));
            _budgets.Add(budget);
            _totalBudget += budget;
            _pruners.Add(new SuccessiveHalvingPruner(MinResource, ReductionFactor, b, BootstrapCount));
        }
    }
}
