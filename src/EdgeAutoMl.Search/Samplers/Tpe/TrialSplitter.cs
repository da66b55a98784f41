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
        var complete = new List<FrozenTrial>();
        var pruned = new List<FrozenTrial>();
        var infeasible = new List<FrozenTrial>();
        var rest = new List<FrozenTrial>();
        foreach (FrozenTrial t in trials)
        {
            if (constraintsEnabled && t.State is TrialState.Complete or TrialState.Pruned &&
                Constraints.Violation(t, missingIsInfeasible: true) > 0)
                infeasible.Add(t);
            else if (t.State == TrialState.Complete && t.Values is not null) complete.Add(t);
            else if (t.State == TrialState.Pruned) pruned.Add(t);
            else rest.Add(t);
        }

        var below = new List<FrozenTrial>();
        var above = new List<FrozenTrial>(rest);

        List<FrozenTrial> sortedComplete = directions.Count == 1
            ? OrderSingleObjective(complete, directions[0])
            : OrderMultiObjective(complete, directions, Math.Min(nBelow, complete.Count));
        Take(sortedComplete, ref nBelow, below, above);

        var sortedPruned = pruned.OrderBy(t => PrunedScore(t, directions)).ThenBy(t => t.Number).ToList();
        Take(sortedPruned, ref nBelow, below, above);

        var sortedInfeasible = infeasible.OrderBy(t => Constraints.Violation(t, missingIsInfeasible: true)).ThenBy(t => t.Number).ToList();
        Take(sortedInfeasible, ref nBelow, below, above);

        below.Sort((a, b) => a.Number.CompareTo(b.Number));
        above.Sort((a, b) => a.Number.CompareTo(b.Number));
        return (below, above);
    }

    // By loss, ties by number: a stable argsort on primitive keys (the trials come in number order), several times
    // faster than LINQ's OrderBy/ThenBy on a thousand trials and the same order.
    private static List<FrozenTrial> OrderSingleObjective(List<FrozenTrial> complete, StudyDirection direction)
    {
        for (int i = 1; i < complete.Count; i++)
            if (complete[i - 1].Number > complete[i].Number)
                return complete.OrderBy(t => direction.ToLoss(t.Values![0])).ThenBy(t => t.Number).ToList();
        var losses = new double[complete.Count];
        for (int i = 0; i < losses.Length; i++) losses[i] = direction.ToLoss(complete[i].Values![0]);
        int[] order = ParzenEstimator.SortedOrder(losses);
        var sorted = new List<FrozenTrial>(order.Length);
        foreach (int i in order) sorted.Add(complete[i]);
        return sorted;
    }

    private static void Take(List<FrozenTrial> sorted, ref int nBelow, List<FrozenTrial> below, List<FrozenTrial> above)
    {
        int k = Math.Clamp(nBelow, 0, sorted.Count);
        below.AddRange(sorted.Take(k));
        above.AddRange(sorted.Skip(k));
        nBelow -= k;
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
    private static List<FrozenTrial> OrderMultiObjective(List<FrozenTrial> complete, IReadOnlyList<StudyDirection> directions, int nBelow)
    {
        if (complete.Count == 0) return complete;
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
        if (boundaryRank < 0 || taken == nBelow) return byRank.Select(i => complete[i]).ToList();

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
        return order.Select(i => complete[i]).ToList();
    }
}
