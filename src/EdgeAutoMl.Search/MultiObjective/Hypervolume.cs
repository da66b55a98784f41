namespace EdgeAutoMl.Search.MultiObjective;

/// <summary>
/// Exact hypervolume of a set of loss vectors w.r.t. a reference point (the volume dominated by the set and
/// bounded by the reference). 2-D by a sweep; higher dimensions by the WFG recursion (While, Bradstreet,
/// Barone 2012): the volume is the sum of each point's exclusive contribution, each computed as its box minus
/// the hypervolume of the remaining points "limited" to that box.
/// </summary>
public static class Hypervolume
{
    /// <summary>Hypervolume; points that do not strictly dominate the reference contribute nothing.</summary>
    /// <exception cref="ArgumentException">Dimension mismatch or NaN.</exception>
    public static double Compute(IEnumerable<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        int d = reference.Count;
        var pts = new List<double[]>();
        foreach (IReadOnlyList<double> p in points)
        {
            if (p.Count != d) throw new ArgumentException($"Point has {p.Count} objectives, reference has {d}.");
            if (p.Any(double.IsNaN)) throw new ArgumentException("Hypervolume of a point with NaN.");
            bool inside = true;
            for (int i = 0; i < d && inside; i++) inside = p[i] < reference[i];
            if (inside) pts.Add(p.ToArray());
        }
        return Wfg(NonDominated(pts), reference.ToArray());
    }

    /// <summary>
    /// Exclusive contribution of each point: HV(all) − HV(all without it). Duplicated points contribute 0.
    /// </summary>
    public static double[] Contributions(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        double total = Compute(points, reference);
        var result = new double[points.Count];
        for (int i = 0; i < points.Count; i++)
            result[i] = Math.Max(0, total - Compute(points.Where((_, j) => j != i), reference));
        return result;
    }

    private static double Wfg(List<double[]> pts, double[] reference)
    {
        if (pts.Count == 0) return 0;
        int d = reference.Length;
        if (d == 1) return reference[0] - pts.Min(p => p[0]);
        if (d == 2) return Sweep2D(pts, reference);
        // Sorting by the last objective makes the limited sets small (WFG's standard ordering).
        pts.Sort((a, b) => b[d - 1].CompareTo(a[d - 1]));
        double sum = 0;
        for (int i = 0; i < pts.Count; i++)
        {
            double box = Box(pts[i], reference);
            var limited = new List<double[]>(pts.Count - i - 1);
            for (int j = i + 1; j < pts.Count; j++)
            {
                var q = new double[d];
                for (int k = 0; k < d; k++) q[k] = Math.Max(pts[i][k], pts[j][k]);
                limited.Add(q);
            }
            sum += box - Wfg(NonDominated(limited), reference);
        }
        return sum;
    }

    private static double Sweep2D(List<double[]> pts, double[] reference)
    {
        var sorted = pts.OrderBy(p => p[0]).ThenBy(p => p[1]).ToList();
        double area = 0, lastY = reference[1];
        foreach (double[] p in sorted)
        {
            if (p[1] >= lastY) continue;
            area += (reference[0] - p[0]) * (lastY - p[1]);
            lastY = p[1];
        }
        return area;
    }

    private static double Box(double[] p, double[] reference)
    {
        double v = 1;
        for (int k = 0; k < p.Length; k++) v *= reference[k] - p[k];
        return v;
    }

    // Keeps one copy of each non-dominated point (dominated points and duplicates add no volume).
    private static List<double[]> NonDominated(List<double[]> pts)
    {
        var result = new List<double[]>();
        for (int i = 0; i < pts.Count; i++)
        {
            bool drop = false;
            for (int j = 0; j < pts.Count && !drop; j++)
            {
                if (i == j) continue;
                drop = Pareto.Dominates(pts[j], pts[i]) || (j < i && pts[j].AsSpan().SequenceEqual(pts[i]));
            }
            if (!drop) result.Add(pts[i]);
        }
        return result;
    }
}
