using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// The finished trials' params split into groups of params that always occur together: two params share a group
/// exactly when every finished trial has both or neither (Optuna's _GroupDecomposedSearchSpace, used by
/// TPESampler(multivariate=True, group=True)). A conditional space then decomposes into its branches, each of which a
/// relative sampler can estimate jointly from the trials that took that branch. A param keeps the distribution of the
/// first trial that had it (as Optuna: the decomposition looks at names only). Incremental: each trial is folded in
/// once, when first seen finished.
/// </summary>
public sealed class GroupDecomposedSearchSpace
{
    private readonly object _gate = new();
    private readonly TrialState[] _states;
    private readonly HashSet<int> _seen = [];
    private List<Dictionary<string, Distribution>> _groups = [];
    private IReadOnlyList<IReadOnlyDictionary<string, Distribution>>? _result;
    private int? _studyId;
    private int _readCount, _readLastId = -1;

    /// <summary>Creates an empty decomposition.</summary>
    /// <param name="includePruned">Fold in PRUNED trials as well as COMPLETE ones (TPE does; Optuna's default: false).</param>
    public GroupDecomposedSearchSpace(bool includePruned = false) =>
        _states = includePruned ? [TrialState.Complete, TrialState.Pruned] : [TrialState.Complete];

    /// <summary>
    /// The current groups, in the order the decomposition rule leaves them (Optuna's order, which decides the order a
    /// sampler draws them in); none is empty. The lists handed out are snapshots: later trials do not change them.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called with two different studies.</exception>
    public IReadOnlyList<IReadOnlyDictionary<string, Distribution>> Calculate(Study study)
    {
        lock (_gate)
        {
            _studyId ??= study.StudyId;
            if (_studyId != study.StudyId)
                throw new InvalidOperationException("A GroupDecomposedSearchSpace follows one study; create one sampler per study.");
            IReadOnlyList<FrozenTrial> trials = study.GetTrials(_states, useCache: true);
            // As IntersectionSearchSpace: start after the part read before when nothing was inserted into it. Optuna
            // refolds every trial each time; folding a trial in again changes nothing (its params already are a union
            // of groups, and later splits keep them so), so folding each new trial once gives the same groups in the
            // same order.
            int from = _readCount > 0 && trials.Count >= _readCount && trials[_readCount - 1].TrialId == _readLastId ? _readCount : 0;
            for (int i = from; i < trials.Count; i++)
            {
                FrozenTrial t = trials[i];
                if (!_seen.Add(t.TrialId)) continue;
                List<Dictionary<string, Distribution>> next = Add(_groups, t.Distributions);
                if (!SameGroups(next, _groups)) _result = null;
                _groups = next;
            }
            _readCount = trials.Count;
            _readLastId = trials.Count > 0 ? trials[^1].TrialId : -1;
            _result ??= _groups.Select(g => (IReadOnlyDictionary<string, Distribution>)
                new SortedDictionary<string, Distribution>(g, StringComparer.Ordinal).AsReadOnly()).ToList().AsReadOnly();
            return _result;
        }
    }

    /// <summary>
    /// The decomposition rule for one more trial with params <paramref name="distributions"/>: each group splits into
    /// the part the trial has and the part it lacks (in that order, in place of the group); the trial's params in no
    /// group form a new group at the end; empty parts are dropped.
    /// </summary>
    internal static List<Dictionary<string, Distribution>> Add(IReadOnlyList<Dictionary<string, Distribution>> groups,
        IReadOnlyDictionary<string, Distribution> distributions)
    {
        var next = new List<Dictionary<string, Distribution>>(groups.Count + 1);
        var fresh = new HashSet<string>(distributions.Keys);
        foreach (Dictionary<string, Distribution> group in groups)
        {
            var inTrial = new Dictionary<string, Distribution>();
            var notInTrial = new Dictionary<string, Distribution>();
            foreach (var (name, d) in group)
                (distributions.ContainsKey(name) ? inTrial : notInTrial)[name] = d;
            if (inTrial.Count > 0) next.Add(inTrial);
            if (notInTrial.Count > 0) next.Add(notInTrial);
            fresh.ExceptWith(group.Keys);
        }
        if (fresh.Count > 0)
        {
            var added = new Dictionary<string, Distribution>();
            foreach (var (name, d) in distributions)
                if (fresh.Contains(name)) added[name] = d;
            next.Add(added);
        }
        return next;
    }

    // Groups only split or grow in number, and keep their distributions: equal counts and sizes mean nothing changed.
    private static bool SameGroups(List<Dictionary<string, Distribution>> a, List<Dictionary<string, Distribution>> b)
    {
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (a[i].Count != b[i].Count) return false;
        return true;
    }
}
