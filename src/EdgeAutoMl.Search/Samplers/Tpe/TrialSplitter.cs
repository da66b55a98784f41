using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>
/// Splits finished trials into TPE's "below" (good, size nBelow) and "above" groups, as Optuna ≥ 3.2:
/// feasible COMPLETE trials first (single objective: by value; several: by non-domination rank, ties in the
/// boundary rank broken by greedy hypervolume contribution), then PRUNED trials (latest step, then its value),
/// then infeasible trials by violation. RUNNING trials are always above. Both groups come back ordered by number.
/// </summary>
public static class TrialSplitter
{
    /// <summary>Performs the split.</summary>
    public static (List<FrozenTrial> Below, List<FrozenTrial> Above) Split(
        IReadOnlyList<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions, int nBelow, bool constraintsEnabled)
    {
        var (below, above) = SplitIndices(trials, directions, nBelow, constraintsEnabled);
        return (below.Select(i => trials[i]).ToList(), above.Select(i => trials[i]).ToList());
    }

    /// <summary><see cref="Split"/> as indices into <paramref name="trials"/>, each group in trial-number order.</summary>
    internal static (int[] Below, int[] Above) SplitIndices(
        IReadOnlyList<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions, int nBelow, bool constraintsEnabled)
    {
        var complete = new List<int>();
        var pruned = new List<int>();
        var infeasible = new List<int>();
        for (int i = 0; i < trials.Count; i++)
        {
            FrozenTrial t = trials[i];
            if (constraintsEnabled && t.State is TrialState.Complete or TrialState.Pruned &&
                Constraints.Violation(t, missingIsInfeasible: true) > 0)
                infeasible.Add(i);
            else if (t.State == TrialState.Complete && t.Values is not null) complete.Add(i);
            else if (t.State == TrialState.Pruned) pruned.Add(i);
            // anything else (RUNNING under constant liar) is always above
        }

        // Both groups come back in number order, so only which trials are good matters, not their order among themselves.
        var good = new bool[trials.Count];
        IEnumerable<int> bestComplete = directions.Count == 1
            ? BestSingleObjective(trials, complete, directions[0], Math.Min(nBelow, complete.Count))
            : OrderMultiObjective(trials, complete, directions, Math.Min(nBelow, complete.Count));
        Take(bestComplete, complete.Count, ref nBelow, good);

        Take(pruned.OrderBy(i => PrunedScore(trials[i], directions)).ThenBy(i => trials[i].Number), pruned.Count, ref nBelow, good);

        Take(infeasible.OrderBy(i => Constraints.Violation(trials[i], missingIsInfeasible: true)).ThenBy(i => trials[i].Number),
            infeasible.Count, ref nBelow, good);

        var below = new List<int>();
        var above = new List<int>(trials.Count);
        foreach (int i in InNumberOrder(trials)) (good[i] ? below : above).Add(i);
        return (below.ToArray(), above.ToArray());
    }

    // The indices of the trials by number (the study hands them out that way; anything else is sorted).
    private static IEnumerable<int> InNumberOrder(IReadOnlyList<FrozenTrial> trials)
    {
        for (int i = 1; i < trials.Count; i++)
            if (trials[i - 1].Number > trials[i].Number)
                return Enumerable.Range(0, trials.Count).OrderBy(j => trials[j].Number);
        return Enumerable.Range(0, trials.Count);
    }

    // Marks the first min(nBelow, count) of the ordered candidates good.
    private static void Take(IEnumerable<int> ordered, int count, ref int nBelow, bool[] good)
    {
        int k = Math.Clamp(nBelow, 0, count);
        foreach (int i in ordered.Take(k)) good[i] = true;
        nBelow -= k;
    }

    // The k complete trials with the lowest loss, ties by number: the first k of a stable sort by (loss, number), found
    // by keeping the k best seen so far instead of sorting all (the rest are dropped at one compare each).
    private static IEnumerable<int> BestSingleObjective(IReadOnlyList<FrozenTrial> trials, List<int> complete,
        StudyDirection direction, int k)
    {
        var losses = new double[complete.Count];
        for (int j = 0; j < losses.Length; j++)
        {
            losses[j] = direction.ToLoss(trials[complete[j]].Values![0]);
            // NaN has no place in a "<" order; the sorted path ranks it as LINQ's comparer does.
            if (double.IsNaN(losses[j]))
                return complete.OrderBy(i => direction.ToLoss(trials[i].Values![0])).ThenBy(i => trials[i].Number);
        }
        if (k == 0) return [];
        var best = new List<int>(k + 1); // positions in complete, best first
        bool Before(int a, int b) => losses[a] < losses[b] ||
                                     (losses[a] == losses[b] && trials[complete[a]].Number < trials[complete[b]].Number);
        for (int j = 0; j < losses.Length; j++)
        {
            // Most trials lose to the k-th best on the loss alone: decided without the tie-break.
            if (best.Count == k && (losses[j] > losses[best[^1]] || !Before(j, best[^1]))) continue;
            int at = best.Count;
            while (at > 0 && Before(j, best[at - 1])) at--;
            best.Insert(at, j);
            if (best.Count > k) best.RemoveAt(k);
        }
        return best.Select(j => complete[j]);
    }

    // Pruned trials that got further are better; among equal steps, the better reported value (Optuna's order).
    private static (int, double) PrunedScore(FrozenTrial t, IReadOnlyList<StudyDirection> directions)
    {
        if (t.IntermediateValues.Count == 0 || directions.Count != 1) return (1, 0.0);
        int step = t.IntermediateValues.Keys.Max();
        double v = t.IntermediateValues[step];
        return (-step, double.IsNaN(v) ? double.PositiveInfinity : directions[0].ToLoss(v));
    }

    // Orders complete trials so that the first nBelow are the ones MOTPE calls "below".
    private static List<int> OrderMultiObjective(IReadOnlyList<FrozenTrial> trials, List<int> completeIndices,
        IReadOnlyList<StudyDirection> directions, int nBelow)
    {
        if (completeIndices.Count == 0) return completeIndices;
        var complete = completeIndices.Select(i => trials[i]).ToList();
        var losses = complete.Select(t => (IReadOnlyList<double>)Pareto.ToLosses(t.Values!, directions)).ToList();
        // Only the ranks that reach nBelow matter: the rest all go above, where order is by number.
        int[] ranks = Pareto.LeadingRanks(losses, nBelow);
        var byRank = Enumerable.Range(0, complete.Count).OrderBy(i => ranks[i]).ThenBy(i => complete[i].Number).ToList();

        // Whole ranks that fit into nBelow are taken as they are; the boundary rank is thinned by HSSP.
        int taken = 0, boundaryRank = -1;
        var rankCounts = ranks.CountBy(x => x).OrderBy(kv => kv.Key).ToList();
        foreach (var (r, count) in rankCounts)
        {
            if (taken + count > nBelow) { boundaryRank = r; break; }
            taken += count;
        }
        if (boundaryRank < 0 || taken == nBelow) return byRank.Select(i => completeIndices[i]).ToList();

        var boundary = byRank.Where(i => ranks[i] == boundaryRank).ToList();
        var boundaryLosses = boundary.Select(i => losses[i]).ToList();
        IReadOnlyList<int> chosen;
        if (boundaryLosses.Any(l => l.Any(v => !double.IsFinite(v))))
            chosen = Enumerable.Range(0, nBelow - taken).ToList();
        else
            chosen = HypervolumeSubsetSelection.SelectGreedy(boundaryLosses, nBelow - taken,
                HypervolumeSubsetSelection.ReferencePoint(boundaryLosses));
        var chosenSet = chosen.Select(j => boundary[j]).ToHashSet();
        var order = byRank.Where(i => ranks[i] < boundaryRank).ToList();
        order.AddRange(boundary.Where(chosenSet.Contains));
        var placed = order.ToHashSet();
        order.AddRange(byRank.Where(i => !placed.Contains(i)));
        return order.Select(i => completeIndices[i]).ToList();
    }
}
