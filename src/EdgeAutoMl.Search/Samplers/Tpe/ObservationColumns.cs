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
    private readonly Dictionary<string, Column> _columns = [];
    private IReadOnlyList<FrozenTrial>? _synced;
    private int _syncedCount;

    // One param's cached rows. For numeric params also the rows having a value, ordered by their value in the kernels'
    // space (ParzenEstimator.TransformValue), ties by row: the order the bandwidths need, kept up to date by inserting
    // each new row instead of sorting a thousand values per param per trial.
    private sealed class Column(Distribution distribution, int capacity)
    {
        public readonly Distribution Distribution = distribution;
        public readonly List<double> Values = new(capacity);
        public readonly List<double> Keys = new(capacity); // transformed values (numeric params only)
        public readonly List<int> Sorted = new(capacity);
        public bool Numeric => Distribution is not CategoricalDistribution;

        public void Add(double value)
        {
            int row = Values.Count;
            Values.Add(value);
            if (!Numeric) return;
            double key = double.IsNaN(value) ? double.NaN : ParzenEstimator.TransformValue(Distribution, value);
            Keys.Add(key);
            if (double.IsNaN(key)) return;
            // The new row is the last: it goes after every row whose key is not greater.
            int lo = 0, hi = Sorted.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (Keys[Sorted[mid]] > key) hi = mid; else lo = mid + 1;
            }
            Sorted.Insert(lo, row);
        }

        public void Truncate(int rows)
        {
            if (Values.Count <= rows) return;
            Values.RemoveRange(rows, Values.Count - rows);
            if (!Numeric) return;
            Keys.RemoveRange(rows, Keys.Count - rows);
            Sorted.RemoveAll(r => r >= rows);
        }
    }

    /// <summary>
    /// The column of <paramref name="name"/> for <paramref name="trials"/> (ordered by number, as the study gives them).
    /// </summary>
    public double[] Get(int studyId, IReadOnlyList<FrozenTrial> trials, string name, Distribution distribution)
    {
        Sync(studyId, trials);
        if (!_columns.TryGetValue(name, out Column? column) || !column.Distribution.Equals(distribution))
            _columns[name] = column = new Column(distribution, trials.Count);
        for (int i = column.Values.Count; i < _ids.Count; i++) column.Add(Extract(trials[i], name, distribution));
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
        // The study hands out one snapshot list per Ask and never changes it: synced once, it stays synced for the
        // trial's other params (the check below walks every trial).
        if (_studyId == studyId && ReferenceEquals(trials, _synced) && trials.Count == _syncedCount) return;
        _synced = trials;
        _syncedCount = trials.Count;
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
            foreach (Column column in _columns.Values) column.Truncate(keep);
        }
        while (_ids.Count < trials.Count && trials[_ids.Count].State.IsFinished()) _ids.Add(trials[_ids.Count].TrialId);
    }

    /// <summary>
    /// For the observations TPE takes from <paramref name="rows"/> (ascending rows of <paramref name="values"/>, the
    /// last <see cref="Get"/> of this numeric param; those with a value, in row order): their indices ordered by value in
    /// the kernels' space, ties by index, as <see cref="ParzenEstimator"/> wants them. Null for a categorical param.
    /// </summary>
    public int[]? ObservationOrder(string name, int[] rows, double[] values)
    {
        if (!_columns.TryGetValue(name, out Column? column) || !column.Numeric) return null;
        int cached = column.Values.Count;
        // Each row's index among the observations (−1: not one of them), then the cached order filtered through it.
        if (_position.Length < values.Length) _position = new int[Math.Max(values.Length, 2 * _position.Length)];
        Array.Fill(_position, -1, 0, values.Length);
        int count = 0;
        var extra = new List<(double Key, int Row)>();
        foreach (int r in rows)
        {
            if (double.IsNaN(values[r])) continue;
            _position[r] = count++;
            if (r >= cached) extra.Add((ParzenEstimator.TransformValue(column.Distribution, values[r]), r));
        }
        // Rows past the cached ones (RUNNING trials under constant liar) are few: sorted here and merged in. Each comes
        // after every cached row, so on equal keys the cached row goes first.
        extra.Sort((a, b) => a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : a.Row.CompareTo(b.Row));
        var order = new int[count];
        int at = 0, e = 0;
        foreach (int r in column.Sorted)
        {
            if (_position[r] < 0) continue;
            while (e < extra.Count && extra[e].Key < column.Keys[r]) order[at++] = _position[extra[e++].Row];
            order[at++] = _position[r];
        }
        while (e < extra.Count) order[at++] = _position[extra[e++].Row];
        return order;
    }

    private int[] _position = [];

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
