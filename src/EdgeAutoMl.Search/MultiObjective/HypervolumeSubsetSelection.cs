namespace EdgeAutoMl.Search.MultiObjective;

/// <summary>
/// Greedy hypervolume subset selection (HSSP): picks k points one at a time, each time the one adding the most
/// hypervolume. Used by multi-objective TPE to break ties inside a non-domination rank, as Optuna does.
/// </summary>
public static class HypervolumeSubsetSelection
{
    /// <summary>Indices (into <paramref name="points"/>) of the selected subset, in selection order.</summary>
    public static IReadOnlyList<int> SelectGreedy(IReadOnlyList<IReadOnlyList<double>> points, int k, IReadOnlyList<double> reference)
    {
        if (k < 0 || k > points.Count) throw new ArgumentOutOfRangeException(nameof(k), $"k={k} with {points.Count} points.");
        var selected = new List<int>();
        var remaining = Enumerable.Range(0, points.Count).ToList();
        var selectedPoints = new List<IReadOnlyList<double>>(k);
        while (selected.Count < k)
        {
            int best = -1;
            double bestGain = double.NegativeInfinity;
            foreach (int i in remaining)
            {
                // The gain is the candidate's exclusive hypervolume against the chosen set: one small limited
                // hypervolume instead of the whole set's.
                double gain = Hypervolume.ExclusiveContribution(points[i], selectedPoints, reference);
                if (gain > bestGain) { bestGain = gain; best = i; }
            }
            selected.Add(best);
            selectedPoints.Add(points[best]);
            remaining.Remove(best);
        }
        return selected;
    }

    /// <summary>
    /// Optuna's reference point for a set of losses: per objective max(1.1·worst, 0.9·worst) (so it is worse than every
    /// point whatever the sign), with exact zeros replaced by a tiny epsilon.
    /// </summary>
    public static double[] ReferencePoint(IReadOnlyList<IReadOnlyList<double>> losses)
    {
        int d = losses[0].Count;
        var r = new double[d];
        for (int k = 0; k < d; k++)
        {
            double worst = losses.Max(p => p[k]);
            r[k] = Math.Max(1.1 * worst, 0.9 * worst);
            if (r[k] == 0) r[k] = 1e-12;
        }
        return r;
    }
}
