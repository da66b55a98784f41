using System.Runtime.InteropServices;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// The value of each param in each trial of the sampler's snapshot, as columns aligned with the snapshot's order
/// (NaN where a trial lacks the param or has it with a distribution the requested one cannot use). Finished trials
/// never change, so the rows of the longest finished prefix of the snapshot are kept between trials and only new
/// rows are read: TPE then no longer looks up every param of every trial in dictionaries for every suggestion.
/// </summary>
internal sealed class ObservationColumns
{
    private int? _studyId;
    private readonly List<int> _ids = []; // trial ids of the cached prefix (all finished)
    private readonly Dictionary<string, (Distribution Distribution, List<double> Values)> _columns = [];

    /// <summary>
    /// The column of <paramref name="name"/> for <paramref name="trials"/> (ordered by number, as the study gives them).
    /// </summary>
    public double[] Get(int studyId, IReadOnlyList<FrozenTrial> trials, string name, Distribution distribution)
    {
        Sync(studyId, trials);
        if (!_columns.TryGetValue(name, out var column) || !column.Distribution.Equals(distribution))
            _columns[name] = column = (distribution, new List<double>(trials.Count));
        for (int i = column.Values.Count; i < _ids.Count; i++) column.Values.Add(Extract(trials[i], name, distribution));
        var result = new double[trials.Count];
        CollectionsMarshal.AsSpan(column.Values).CopyTo(result);
        // Rows after the cached prefix (RUNNING trials under constant_liar, and what follows them) are read each time.
        for (int i = column.Values.Count; i < trials.Count; i++) result[i] = Extract(trials[i], name, distribution);
        return result;
    }

    // Keeps the cached rows that still match the snapshot (same trial ids in the same places), then extends the prefix
    // over the snapshot's leading finished trials. Columns shorter than the prefix catch up when next asked for.
    private void Sync(int studyId, IReadOnlyList<FrozenTrial> trials)
    {
        if (_studyId != studyId)
        {
            _studyId = studyId;
            _ids.Clear();
            _columns.Clear();
        }
        int keep = 0;
        while (keep < _ids.Count && keep < trials.Count && trials[keep].TrialId == _ids[keep]) keep++;
        if (keep < _ids.Count)
        {
            _ids.RemoveRange(keep, _ids.Count - keep);
            foreach (var (_, values) in _columns.Values)
                if (values.Count > keep) values.RemoveRange(keep, values.Count - keep);
        }
        while (_ids.Count < trials.Count && trials[_ids.Count].State.IsFinished()) _ids.Add(trials[_ids.Count].TrialId);
    }

    /// <summary>The internal value of the param in the trial, or NaN if the trial lacks it in a usable form.</summary>
    public static double Extract(FrozenTrial trial, string name, Distribution distribution)
    {
        if (!trial.InternalParams.TryGetValue(name, out double v)) return double.NaN;
        Distribution seen = trial.Distributions[name];
        if (seen.GetType() != distribution.GetType()) return double.NaN;
        if (distribution is CategoricalDistribution) return seen.Equals(distribution) ? v : double.NaN;
        // A numeric param whose range changed: keep observations that still fit the new range.
        if (distribution is IntDistribution id && (v < id.Low || v > id.High)) return double.NaN;
        if (distribution is FloatDistribution fd && (v < fd.Low || v > fd.High)) return double.NaN;
        return v;
    }
}
