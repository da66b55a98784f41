namespace EdgeAutoMl.Search.MultiObjective;

/// <summary>
/// Pareto dominance and non-dominated sorting. Everything here works on <em>losses</em> (smaller is better);
/// <see cref="ToLosses"/> turns values of a study with mixed directions into losses.
/// </summary>
public static class Pareto
{
    /// <summary>Values → losses (maximised objectives negated).</summary>
    public static double[] ToLosses(IReadOnlyList<double> values, IReadOnlyList<StudyDirection> directions)
    {
        if (values.Count != directions.Count)
            throw new ArgumentException($"{values.Count} values for {directions.Count} directions.");
        var loss = new double[values.Count];
        for (int i = 0; i < loss.Length; i++) loss[i] = directions[i].ToLoss(values[i]);
        return loss;
    }

    /// <summary>a dominates b: no worse in every objective and better in at least one.</summary>
    public static bool Dominates(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        bool better = false;
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] > b[i]) return false;
            if (a[i] < b[i]) better = true;
        }
        return better;
    }

    /// <summary>
    /// Constrained dominance (Deb): a feasible point dominates an infeasible one; of two infeasible points the one with
    /// the smaller violation dominates; two feasible points compare by <see cref="Dominates"/>.
    /// </summary>
    public static bool ConstrainedDominates(IReadOnlyList<double> a, double violationA, IReadOnlyList<double> b, double violationB)
    {
        bool feasA = violationA <= 0, feasB = violationB <= 0;
        if (feasA && feasB) return Dominates(a, b);
        if (feasA) return true;
        if (feasB) return false;
        return violationA < violationB;
    }

    /// <summary>
    /// Non-domination rank of each point (0 = Pareto front), by fast non-dominated sort. With
    /// <paramref name="violations"/>, infeasible points (violation &gt; 0) rank after all feasible ones,
    /// ordered by violation (equal violations share a rank), as Optuna's constrained sort.
    /// </summary>
    public static int[] NonDominatedRanks(IReadOnlyList<IReadOnlyList<double>> losses, IReadOnlyList<double>? violations = null)
    {
        int n = losses.Count;
        var ranks = new int[n];
        var feasible = Enumerable.Range(0, n).Where(i => violations is null || violations[i] <= 0).ToList();
        int maxRank = RankSubset(losses, feasible, ranks);
        if (violations is null) return ranks;
        var infeasible = Enumerable.Range(0, n).Where(i => violations[i] > 0).ToList();
        var distinct = infeasible.Select(i => violations[i]).Distinct().OrderBy(v => v).ToList();
        int baseRank = feasible.Count == 0 ? 0 : maxRank + 1;
        foreach (int i in infeasible) ranks[i] = baseRank + distinct.IndexOf(violations[i]);
        return ranks;
    }

    /// <summary>
    /// Non-domination ranks of the best fronts only: fronts are peeled off until at least <paramref name="minCount"/>
    /// points are ranked; every other point gets <see cref="int.MaxValue"/>. The ranks given agree with
    /// <see cref="NonDominatedRanks"/>. TPE needs only its few best trials ranked, and the full sort is quadratic.
    /// </summary>
    public static int[] LeadingRanks(IReadOnlyList<IReadOnlyList<double>> losses, int minCount)
    {
        int n = losses.Count;
        var ranks = new int[n];
        Array.Fill(ranks, int.MaxValue);
        // A dominating point is lexicographically smaller, so in lexicographic order a point is dominated by a
        // remaining point iff it is dominated by a member of the front found so far (dominance is transitive).
        var remaining = Enumerable.Range(0, n).ToList();
        remaining.Sort((a, b) =>
        {
            for (int k = 0; k < losses[a].Count; k++)
            {
                int c = losses[a][k].CompareTo(losses[b][k]);
                if (c != 0) return c;
            }
            return a.CompareTo(b);
        });
        int ranked = 0;
        for (int rank = 0; ranked < minCount && remaining.Count > 0; rank++)
        {
            var front = new List<int>();
            var rest = new List<int>(remaining.Count);
            foreach (int i in remaining)
            {
                bool dominated = false;
                foreach (int f in front)
                    if (Dominates(losses[f], losses[i])) { dominated = true; break; }
                (dominated ? rest : front).Add(i);
            }
            foreach (int f in front) ranks[f] = rank;
            ranked += front.Count;
            remaining = rest;
        }
        return ranks;
    }

    /// <summary>Indices of the non-dominated points (rank 0), in input order.</summary>
    public static IReadOnlyList<int> FrontIndices(IReadOnlyList<IReadOnlyList<double>> losses)
    {
        var result = new List<int>();
        for (int i = 0; i < losses.Count; i++)
        {
            bool dominated = false;
            for (int j = 0; j < losses.Count && !dominated; j++)
                dominated = j != i && Dominates(losses[j], losses[i]);
            if (!dominated) result.Add(i);
        }
        return result;
    }

    /// <summary>Trials (with values) not dominated by any other, for the given directions.</summary>
    public static IReadOnlyList<FrozenTrial> FrontTrials(IReadOnlyList<FrozenTrial> trials, IReadOnlyList<StudyDirection> directions)
    {
        var withValues = trials.Where(t => t.Values is not null).ToList();
        var losses = withValues.Select(t => (IReadOnlyList<double>)ToLosses(t.Values!, directions)).ToList();
        return FrontIndices(losses).Select(i => withValues[i]).ToList();
    }

    // Fast non-dominated sort (Deb et al.) restricted to `subset`; returns the largest rank used (-1 if empty).
    private static int RankSubset(IReadOnlyList<IReadOnlyList<double>> losses, List<int> subset, int[] ranks)
    {
        int m = subset.Count;
        if (m == 0) return -1;
        var dominatedBy = new int[m];
        var dominates = new List<int>[m];
        for (int a = 0; a < m; a++) dominates[a] = [];
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++)
            {
                if (Dominates(losses[subset[a]], losses[subset[b]])) { dominates[a].Add(b); dominatedBy[b]++; }
                else if (Dominates(losses[subset[b]], losses[subset[a]])) { dominates[b].Add(a); dominatedBy[a]++; }
            }
        var front = Enumerable.Range(0, m).Where(a => dominatedBy[a] == 0).ToList();
        int rank = 0;
        while (front.Count > 0)
        {
            var next = new List<int>();
            foreach (int a in front)
            {
                ranks[subset[a]] = rank;
                foreach (int b in dominates[a])
                    if (--dominatedBy[b] == 0) next.Add(b);
            }
            front = next;
            rank++;
        }
        return rank - 1;
    }
}
