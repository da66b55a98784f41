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
    /// Exclusive contribution of each point: HV(all) − HV(all without it). Dominated points, duplicated points and
    /// points outside the reference contribute 0. Computed without re-running the whole hypervolume per point: a
    /// point's contribution is its box minus the hypervolume of the other points limited to that box (WFG's
    /// exclusive hypervolume); in 2-D only the dominated points inside a front point's exclusive rectangle can
    /// take area from it, so one sort of the points does.
    /// </summary>
    /// <exception cref="ArgumentException">Dimension mismatch or NaN.</exception>
    public static double[] Contributions(IReadOnlyList<IReadOnlyList<double>> points, IReadOnlyList<double> reference)
    {
        int d = reference.Count;
        var result = new double[points.Count];
        var inside = new List<int>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            IReadOnlyList<double> p = points[i];
            if (p.Count != d) throw new ArgumentException($"Point has {p.Count} objectives, reference has {d}.");
            bool ok = true;
            for (int k = 0; k < d; k++)
            {
                if (double.IsNaN(p[k])) throw new ArgumentException("Hypervolume of a point with NaN.");
                ok &= p[k] < reference[k];
            }
            if (ok) inside.Add(i);
        }
        if (inside.Count == 0) return result;
        double[] r = reference.ToArray();
        if (d == 2) Contributions2D(points, inside, r, result);
        else ContributionsWfg(points, inside, r, result);
        return result;
    }

    // 2-D: sort by (x, y); the front is the points whose y drops strictly below every earlier y. Front point k owns
    // the rectangle [x_k, x_next) × [y_k, y_prev) (next/prev: neighbours on the front, or the reference); only
    // dominated points can reach into it, so its contribution is that rectangle minus their limited 2-D sweep.
    private static void Contributions2D(IReadOnlyList<IReadOnlyList<double>> points, List<int> inside, double[] reference,
        double[] result)
    {
        int[] order = inside.OrderBy(i => points[i][0]).ThenBy(i => points[i][1]).ToArray();
        var front = new List<int>();
        var dominated = new List<double[]>();
        double lastY = double.PositiveInfinity;
        for (int a = 0; a < order.Length; a++)
        {
            IReadOnlyList<double> p = points[order[a]];
            bool duplicate = a > 0 && points[order[a - 1]][0] == p[0] && points[order[a - 1]][1] == p[1];
            if (p[1] < lastY) { front.Add(order[a]); lastY = p[1]; }
            else if (duplicate && front.Count > 0 && front[^1] == order[a - 1])
                front[^1] = -1 - front[^1]; // an exact copy of a front point: both contribute 0, yet it still bounds
            else dominated.Add([p[0], p[1]]);
        }
        for (int k = 0; k < front.Count; k++)
        {
            if (front[k] < 0) continue;
            IReadOnlyList<double> p = points[front[k]];
            double xNext = k + 1 < front.Count ? points[Decode(front[k + 1])][0] : reference[0];
            double yPrev = k > 0 ? points[Decode(front[k - 1])][1] : reference[1];
            double area = (xNext - p[0]) * (yPrev - p[1]);
            var intruders = new List<double[]>();
            foreach (double[] q in dominated)
                if (q[0] < xNext && q[1] < yPrev) intruders.Add([Math.Max(q[0], p[0]), Math.Max(q[1], p[1])]);
            if (intruders.Count > 0) area -= Sweep2D(intruders, [xNext, yPrev]);
            result[front[k]] = Math.Max(0, area);
        }
    }

    /// <summary>
    /// Hypervolume that <paramref name="point"/> adds to <paramref name="others"/>: its box minus the hypervolume of
    /// the others limited to that box. Zero when the point does not strictly dominate the reference.
    /// </summary>
    public static double ExclusiveContribution(IReadOnlyList<double> point, IEnumerable<IReadOnlyList<double>> others,
        IReadOnlyList<double> reference)
    {
        int d = reference.Count;
        double[] r = reference.ToArray();
        for (int k = 0; k < d; k++)
        {
            if (double.IsNaN(point[k])) throw new ArgumentException("Hypervolume of a point with NaN.");
            if (!(point[k] < r[k])) return 0;
        }
        var limited = new List<double[]>();
        foreach (IReadOnlyList<double> o in others)
        {
            var q = new double[d];
            for (int k = 0; k < d; k++) q[k] = Math.Max(point[k], o[k]);
            limited.Add(q);
        }
        double box = 1;
        for (int k = 0; k < d; k++) box *= r[k] - point[k];
        // Limited points all lie inside the box (hence inside the reference); NaN in them would surface here.
        return Math.Max(0, box - Wfg(NonDominated(limited), r));
    }

    private static int Decode(int frontEntry) => frontEntry < 0 ? -1 - frontEntry : frontEntry;

    // ≥ 3-D (and 1-D): contribution = box(p) − HV({max(p, q) : q ≠ p}); zero when another point dominates or equals p.
    private static void ContributionsWfg(IReadOnlyList<IReadOnlyList<double>> points, List<int> inside, double[] reference,
        double[] result)
    {
        int d = reference.Length;
        var pts = inside.Select(i => points[i].ToArray()).ToList();
        for (int a = 0; a < pts.Count; a++)
        {
            bool covered = false;
            for (int b = 0; b < pts.Count && !covered; b++)
                covered = b != a && (Pareto.Dominates(pts[b], pts[a]) || pts[b].AsSpan().SequenceEqual(pts[a]));
            if (covered) continue;
            var limited = new List<double[]>(pts.Count - 1);
            for (int b = 0; b < pts.Count; b++)
            {
                if (b == a) continue;
                var q = new double[d];
                for (int k = 0; k < d; k++) q[k] = Math.Max(pts[a][k], pts[b][k]);
                limited.Add(q);
            }
            result[inside[a]] = Math.Max(0, Box(pts[a], reference) - Wfg(NonDominated(limited), reference));
        }
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
