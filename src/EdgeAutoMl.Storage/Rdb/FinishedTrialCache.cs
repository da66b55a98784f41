using System.Globalization;
using System.Text;
using EdgeAutoMl.Search;

namespace EdgeAutoMl.Storage.Rdb;

/// <summary>
/// Keeps the finished trials of each study a storage object has read (Optuna's _CachedStorage idea): a finished trial
/// never changes, so the next read fetches only rows of trials that are new (id above the highest id seen) or were
/// unfinished at the last read. Correct across processes because trial ids grow in commit order within a study
/// (creation is serialised by the study row lock in PostgreSQL and by the single writer in SQLite), and every
/// unfinished trial is read again each time — a trial another process finished is seen on the next read.
/// Not detected: another process deleting a study and re-creating rows under the same ids (Optuna's cache has the same
/// blind spot); <see cref="Forget"/> handles deletes through this object. Thread-safe.
/// </summary>
internal sealed class FinishedTrialCache
{
    private sealed class StudyTrials
    {
        public readonly Dictionary<int, FrozenTrial> Finished = new();
        public readonly HashSet<int> Unfinished = new();
        public readonly Dictionary<string, Search.Distributions.Distribution> Distributions = new();
        public int MaxSeenId;
        // The finished trials ordered by (number, id), rebuilt only when one is added.
        public List<FrozenTrial>? Ordered;
    }

    private readonly Dictionary<int, StudyTrials> _studies = new();
    private readonly Dictionary<int, FrozenTrial> _finishedById = new();
    private readonly object _gate = new();

    /// <summary>
    /// SQL condition (on the trials alias <c>t</c>) selecting the rows still to read for the study: trials never seen,
    /// plus those unfinished at the last read. Ids are inlined: they are integers we produced, not user text.
    /// </summary>
    public string PendingCondition(int studyId)
    {
        lock (_gate)
        {
            if (!_studies.TryGetValue(studyId, out StudyTrials? st) || st.MaxSeenId == 0) return "1=1";
            var sb = new StringBuilder("(t.trial_id > ").Append(st.MaxSeenId.ToString(CultureInfo.InvariantCulture));
            if (st.Unfinished.Count > 0)
            {
                sb.Append(" OR t.trial_id IN (");
                bool first = true;
                foreach (int id in st.Unfinished)
                {
                    if (!first) sb.Append(',');
                    sb.Append(id.ToString(CultureInfo.InvariantCulture));
                    first = false;
                }
                sb.Append(')');
            }
            return sb.Append(')').ToString();
        }
    }

    /// <summary>
    /// Adds freshly read trials (the rows <see cref="PendingCondition"/> selected) and returns all trials of the study,
    /// ordered by number, in the given states.
    /// </summary>
    public List<FrozenTrial> Merge(int studyId, List<FrozenTrial> fresh, IReadOnlyCollection<TrialState>? states)
    {
        lock (_gate)
        {
            if (!_studies.TryGetValue(studyId, out StudyTrials? st)) _studies[studyId] = st = new StudyTrials();
            var unfinished = new List<FrozenTrial>();
            foreach (FrozenTrial t in fresh)
            {
                st.MaxSeenId = Math.Max(st.MaxSeenId, t.TrialId);
                // A concurrent reader with an older snapshot may bring back an unfinished copy of a trial that is
                // already cached as finished: finished wins, it cannot change any more.
                if (st.Finished.ContainsKey(t.TrialId)) continue;
                if (t.State.IsFinished())
                {
                    st.Finished[t.TrialId] = t;
                    foreach (var (name, d) in t.Distributions) st.Distributions.TryAdd(name, d);
                    _finishedById[t.TrialId] = t;
                    st.Unfinished.Remove(t.TrialId);
                    st.Ordered = null;
                }
                else
                {
                    st.Unfinished.Add(t.TrialId);
                    unfinished.Add(t);
                }
            }
            st.Ordered ??= st.Finished.Values.OrderBy(t => t.Number).ThenBy(t => t.TrialId).ToList();

            var result = new List<FrozenTrial>(st.Ordered.Count + unfinished.Count);
            // Both lists are ordered by number: merge them.
            unfinished.Sort((a, b) => a.Number != b.Number ? a.Number.CompareTo(b.Number) : a.TrialId.CompareTo(b.TrialId));
            int i = 0, j = 0;
            while (i < st.Ordered.Count || j < unfinished.Count)
            {
                FrozenTrial next = j >= unfinished.Count || (i < st.Ordered.Count && st.Ordered[i].Number <= unfinished[j].Number)
                    ? st.Ordered[i++]
                    : unfinished[j++];
                if (states is null || states.Contains(next.State)) result.Add(next);
            }
            return result;
        }
    }

    /// <summary>
    /// The distribution a finished trial of the study used for the param, if any is cached. Every stored distribution
    /// of a param passed the compatibility check against the earlier ones, so checking against this one is enough.
    /// </summary>
    public Search.Distributions.Distribution? KnownDistribution(int studyId, string paramName)
    {
        lock (_gate)
            return _studies.TryGetValue(studyId, out StudyTrials? st) ? st.Distributions.GetValueOrDefault(paramName) : null;
    }

    /// <summary>The trial if it is cached as finished.</summary>
    public FrozenTrial? FinishedTrial(int trialId)
    {
        lock (_gate) return _finishedById.GetValueOrDefault(trialId);
    }

    /// <summary>Drops a study (deleted through this storage object).</summary>
    public void Forget(int studyId)
    {
        lock (_gate)
        {
            if (_studies.Remove(studyId, out StudyTrials? st))
                foreach (int id in st.Finished.Keys) _finishedById.Remove(id);
        }
    }
}
