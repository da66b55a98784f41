using EdgeAutoMl.Search.MultiObjective;

namespace EdgeAutoMl.Search.Samplers.Nsga2;

/// <summary>
/// NSGA-II's survival step (Deb et al. 2002, as Optuna implements it): fast non-dominated sort, then fill the next
/// population rank by rank; the rank that overflows is cut by crowding distance, most isolated first. Dominance is
/// Pareto dominance on losses, or Deb's constraint-domination when enabled.
/// </summary>
internal static class EliteSelection
{
    /// <summary>Dominance between two COMPLETE trials, optionally constraint-aware (Optuna's _constrained_dominates).</summary>
    public static bool Dominates(FrozenTrial a, FrozenTrial b, IReadOnlyList<StudyDirection> directions, bool constrained)
    {
        if (constrained)
        {
            IReadOnlyList<double>? ca = a.Constraints, cb = b.Constraints;
            if (ca is not null && cb is null) return true;  // a trial without constraint values is dominated
            if (ca is null && cb is not null) return false;
            if (ca is not null && cb is not null)
            {
                double va = Search.Constraints.Violation(a), vb = Search.Constraints.Violation(b);
                if (va > 0 || vb > 0) return va <= 0 || (vb > 0 && va < vb);
            }
        }
        return Pareto.Dominates(Pareto.ToLosses(a.Values!, directions), Pareto.ToLosses(b.Values!, directions));
    }

    /// <summary>The best <paramref name="size"/> trials of <paramref name="population"/>.</summary>
    public static List<FrozenTrial> Select(List<FrozenTrial> population, int size, IReadOnlyList<StudyDirection> directions, bool constrained)
    {
        var elite = new List<FrozenTrial>(size);
        foreach (List<FrozenTrial> front in SortByRank(population, directions, constrained))
        {
            if (elite.Count + front.Count < size) { elite.AddRange(front); continue; }
            elite.AddRange(ByCrowdingDistance(front).Take(size - elite.Count));
            break;
        }
        return elite;
    }

    /// <summary>Fronts of the fast non-dominated sort, best first.</summary>
    public static List<List<FrozenTrial>> SortByRank(List<FrozenTrial> population, IReadOnlyList<StudyDirection> directions, bool constrained)
    {
        int n = population.Count;
        var dominatedCount = new int[n];
        var dominates = new List<int>[n];
        for (int i = 0; i < n; i++) dominates[i] = [];
        // Losses once per trial, not once per pair (the pair loop is quadratic); the same test as Dominates.
        double[][] losses = population.Select(t => Pareto.ToLosses(t.Values!, directions)).ToArray();
        bool Beats(int a, int b) => constrained
            ? Dominates(population[a], population[b], directions, constrained)
            : Pareto.Dominates(losses[a], losses[b]);
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (Beats(i, j)) { dominates[i].Add(j); dominatedCount[j]++; }
                else if (Beats(j, i)) { dominates[j].Add(i); dominatedCount[i]++; }
            }
        var fronts = new List<List<FrozenTrial>>();
        var current = Enumerable.Range(0, n).Where(i => dominatedCount[i] == 0).ToList();
        while (current.Count > 0)
        {
            fronts.Add(current.Select(i => population[i]).ToList());
            var next = new List<int>();
            foreach (int i in current)
                foreach (int j in dominates[i])
                    if (--dominatedCount[j] == 0) next.Add(j);
            current = next;
        }
        return fronts;
    }

    /// <summary>
    /// The front ordered by crowding distance, largest first: per objective, each point gets the normalised gap
    /// between its neighbours (boundary points infinite), summed over objectives.
    /// </summary>
    public static List<FrozenTrial> ByCrowdingDistance(List<FrozenTrial> front)
    {
        int n = front.Count;
        var distance = new double[n];
        if (n == 0) return [];
        int m = front[0].Values!.Count;
        for (int k = 0; k < m; k++)
        {
            int[] order = Enumerable.Range(0, n).OrderBy(i => front[i].Values![k]).ToArray();
            double lo = front[order[0]].Values![k], hi = front[order[n - 1]].Values![k];
            if (lo == hi) continue; // an objective where all agree says nothing about crowding
            double width = hi - lo;
            if (!(width > 0) || double.IsInfinity(width)) width = 1.0;
            for (int r = 0; r < n; r++)
            {
                double prev = r == 0 ? double.NegativeInfinity : front[order[r - 1]].Values![k];
                double next = r == n - 1 ? double.PositiveInfinity : front[order[r + 1]].Values![k];
                double gap = prev == next ? 0 : next - prev;
                distance[order[r]] += gap / width;
            }
        }
        // Stable sort descending by distance, ties keeping input order.
        return Enumerable.Range(0, n).OrderByDescending(i => distance[i]).Select(i => front[i]).ToList();
    }
}
