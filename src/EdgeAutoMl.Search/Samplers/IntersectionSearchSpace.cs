using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers;

/// <summary>
/// The params every COMPLETE trial has, each with one and the same distribution (Optuna's IntersectionSearchSpace):
/// the space a relative (joint) sampler may sample. Incremental: trials already folded in are not revisited, as long
/// as they were finished when seen.
/// </summary>
public sealed class IntersectionSearchSpace
{
    private readonly object _gate = new();
    private Dictionary<string, Distribution>? _space;
    private readonly HashSet<int> _seen = [];
    private int? _studyId;
    private IReadOnlyDictionary<string, Distribution>? _result;
    private int _readCount, _readLastId = -1;

    /// <summary>The current intersection, params ordered by name (so every process orders them alike).</summary>
    /// <exception cref="InvalidOperationException">Called with two different studies.</exception>
    public IReadOnlyDictionary<string, Distribution> Calculate(Study study, bool includePruned = false)
    {
        lock (_gate)
        {
            _studyId ??= study.StudyId;
            if (_studyId != study.StudyId)
                throw new InvalidOperationException("An IntersectionSearchSpace follows one study; create one sampler per study.");
            TrialState[] states = includePruned ? [TrialState.Complete, TrialState.Pruned] : [TrialState.Complete];
            IReadOnlyList<FrozenTrial> trials = study.GetTrials(states, useCache: true);
            // The list is ordered by number and finished trials never leave it, so if the last trial of the part read
            // before is still where it was, nothing was inserted before it: start after it. (A trial finishing out of
            // order shifts it, and the whole list is read again, the ids seen telling what is new.)
            int from = _readCount > 0 && trials.Count >= _readCount && trials[_readCount - 1].TrialId == _readLastId ? _readCount : 0;
            for (int i = from; i < trials.Count; i++)
            {
                FrozenTrial t = trials[i];
                if (!_seen.Add(t.TrialId)) continue;
                if (_space is null)
                {
                    _space = t.Distributions.ToDictionary(kv => kv.Key, kv => kv.Value);
                    _result = null;
                    continue;
                }
                foreach (string name in _space.Keys.ToList())
                    if (!t.Distributions.TryGetValue(name, out Distribution? d) || !d.Equals(_space[name]))
                    {
                        _space.Remove(name);
                        _result = null;
                    }
            }
            _readCount = trials.Count;
            _readLastId = trials.Count > 0 ? trials[^1].TrialId : -1;
            // The space only ever shrinks, and rarely: hand out the same read-only view until it does.
            if (_result is null)
            {
                var sorted = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
                if (_space is not null)
                    foreach (var (k, v) in _space) sorted[k] = v;
                _result = sorted.AsReadOnly();
            }
            return _result;
        }
    }
}
