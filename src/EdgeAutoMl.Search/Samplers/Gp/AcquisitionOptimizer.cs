using EdgeAutoMl.Search.Samplers.Qmc;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>
/// Maximises an <see cref="Acquisition"/> over a <see cref="GpSearchSpace"/> as Optuna's <c>optimize_acqf_mixed</c>:
/// score a batch of scrambled Sobol' points, then locally refine the best one, a few more picked by roulette on
/// exp(acqf − max) and the warm starts (e.g. the best trial's params). The local search alternates bounded
/// quasi-Newton (MathNet's BFGS-B, coordinates scaled by the lengthscales as Optuna's preconditioning) on the
/// continuous dimensions with a search over each discrete dimension, until nothing improves.
/// </summary>
public static class AcquisitionOptimizer
{
    /// <summary>Grids up to this size (and every categorical) are searched exhaustively (Optuna: 16).</summary>
    public const int MaxExhaustiveGrid = 16;

    /// <summary>Returns the best normalized point found and its acquisition value.</summary>
    /// <param name="acquisition">Function to maximise.</param>
    /// <param name="space">Search space (valid points, grids).</param>
    /// <param name="rng">Randomness (Sobol' scrambling seed, roulette); the only source, so the result is seeded.</param>
    /// <param name="warmStarts">Extra starting points for the local search.</param>
    /// <param name="preliminarySamples">Sobol' points scored (Optuna: 2048).</param>
    /// <param name="localSearches">Local searches from sampled points, the best one included (Optuna: 10).</param>
    /// <param name="tol">Tolerance of the continuous local search (Optuna: 1e-4).</param>
    public static (double[] X, double Value) Optimize(Acquisition acquisition, GpSearchSpace space, Random rng,
        IReadOnlyList<double[]>? warmStarts = null, int preliminarySamples = 2048, int localSearches = 10, double tol = 1e-4)
    {
        int d = space.Dimension;
        var sobol = new SobolSequence(d, scramble: true, seed: rng.Next());
        var xs = new double[preliminarySamples][];
        var fs = new double[preliminarySamples];
        int maxI = 0;
        for (int i = 0; i < preliminarySamples; i++)
        {
            xs[i] = space.FromUnitCube(sobol.Point(i));
            fs[i] = acquisition.Value(xs[i]);
            if (fs[i] > fs[maxI] || double.IsNaN(fs[maxI])) maxI = i;
        }

        // Roulette on exp(f − max) without the best (which always gets a local search).
        var probs = new double[preliminarySamples];
        int nonZero = 0;
        for (int i = 0; i < preliminarySamples; i++)
        {
            probs[i] = i == maxI || double.IsNaN(fs[i]) ? 0 : Math.Exp(fs[i] - fs[maxI]);
            if (probs[i] > 0) nonZero++;
        }
        var starts = new List<double[]> { xs[maxI] };
        int extra = Math.Min(localSearches - 1 - (warmStarts?.Count ?? 0), nonZero);
        foreach (int i in WeightedWithoutReplacement(rng, probs, extra)) starts.Add(xs[i]);
        if (warmStarts is not null) starts.AddRange(warmStarts);

        double[] bestX = xs[maxI];
        double bestF = fs[maxI];
        foreach (double[] start in starts)
        {
            var (x, f) = LocalSearch(acquisition, space, start, tol);
            if (f > bestF) (bestX, bestF) = (x, f);
        }
        return (bestX, bestF);
    }

    /// <summary>Optuna's <c>local_search_mixed</c>: continuous step, then each discrete dimension, until a full round changes nothing.</summary>
    internal static (double[] X, double Value) LocalSearch(Acquisition acquisition, GpSearchSpace space, double[] start, double tol, int maxIter = 100)
    {
        int d = space.Dimension;
        int[] continuous = Enumerable.Range(0, d).Where(space.IsContinuous).ToArray();
        int[] discrete = Enumerable.Range(0, d).Where(j => !space.IsContinuous(j)).ToArray();
        double[] lam = acquisition.Objective.Kernel.InverseSquaredLengthscales;
        double[] lengthscales = continuous.Select(j => 1 / Math.Sqrt(lam[j])).ToArray();

        double[] x = (double[])start.Clone();
        double f = acquisition.Value(x);
        const int Continuous = -1;
        int? lastChanged = null;
        for (int iter = 0; iter < maxIter; iter++)
        {
            if (lastChanged == Continuous) break;
            if (GradientAscent(acquisition, x, ref f, continuous, lengthscales, tol)) lastChanged = Continuous;
            bool stop = false;
            foreach (int j in discrete)
            {
                if (lastChanged == j) { stop = true; break; }
                if (DiscreteSearch(acquisition, space, x, ref f, j)) lastChanged = j;
            }
            if (stop || lastChanged is null) break;
        }
        return (x, f);
    }

    // Bounded quasi-Newton on z = x_C/ℓ_C ∈ [0, 1/ℓ]: equal curvature in every scaled coordinate. Keeps x on improvement.
    private static bool GradientAscent(Acquisition acquisition, double[] x, ref double f, int[] idx, double[] ls, double tol)
    {
        if (idx.Length == 0) return false;
        int d = x.Length;
        var work = (double[])x.Clone();
        var grad = new double[d];
        double bestF = f;
        double[]? bestX = null;
        var objective = ObjectiveFunction.Gradient(z =>
        {
            for (int k = 0; k < idx.Length; k++) work[idx[k]] = Math.Clamp(z[k] * ls[k], 0, 1);
            double v = acquisition.ValueWithGradient(work, grad);
            var g = Vector<double>.Build.Dense(idx.Length);
            for (int k = 0; k < idx.Length; k++) g[k] = -grad[idx[k]] * ls[k];
            if (!double.IsFinite(v) || !g.ForAll(double.IsFinite)) return (double.MaxValue, Vector<double>.Build.Dense(idx.Length));
            if (v > bestF) { bestF = v; bestX = (double[])work.Clone(); }
            return (-v, g);
        });
        var lower = Vector<double>.Build.Dense(idx.Length);
        var upper = Vector<double>.Build.Dense(idx.Length, k => 1 / ls[k]);
        var z0 = Vector<double>.Build.Dense(idx.Length, k => Math.Clamp(x[idx[k]] / ls[k], 0, 1 / ls[k]));
        try
        {
            new BfgsBMinimizer(Math.Sqrt(tol), 1e-10, 1e-10, 200).FindMinimum(objective, lower, upper, z0);
        }
        catch (Exception e) when (e is OptimizationException or MaximumIterationsException or ArgumentException)
        {
            // Line search or iteration limit: keep the best point evaluated (tracked above).
        }
        if (bestX is null) return false;
        bestX.CopyTo(x, 0);
        f = bestF;
        return true;
    }

    // One discrete dimension: every choice when there are few (Optuna's exhaustive search); for long grids a coarse
    // scan of 16 evenly spaced grid points plus the current one, then a hill climb to the neighbours (Optuna uses Brent
    // on the interpolated grid instead).
    private static bool DiscreteSearch(Acquisition acquisition, GpSearchSpace space, double[] x, ref double f, int j)
    {
        double[]? grid = space.Grids[j];
        if (grid is null || grid.Length < 2) return false;
        var probe = (double[])x.Clone();
        double Eval(int i) { probe[j] = grid[i]; return acquisition.Value(probe); }
        int current = Nearest(grid, x[j]);
        int bestI = current;
        double bestF = f;
        if (space.IsCategorical[j] || grid.Length <= MaxExhaustiveGrid)
        {
            for (int i = 0; i < grid.Length; i++)
            {
                if (i == current) continue;
                double v = Eval(i);
                if (v > bestF) (bestI, bestF) = (i, v);
            }
        }
        else
        {
            for (int s = 0; s < MaxExhaustiveGrid; s++)
            {
                int i = (int)Math.Round(s * (grid.Length - 1) / (double)(MaxExhaustiveGrid - 1));
                if (i == current) continue;
                double v = Eval(i);
                if (v > bestF) (bestI, bestF) = (i, v);
            }
            for (bool moved = true; moved;)
            {
                moved = false;
                foreach (int i in new[] { bestI - 1, bestI + 1 })
                {
                    if (i < 0 || i >= grid.Length || i == current) continue;
                    double v = Eval(i);
                    if (v > bestF) { (bestI, bestF) = (i, v); moved = true; break; }
                }
            }
        }
        if (bestI == current) return false;
        x[j] = grid[bestI];
        f = bestF;
        return true;
    }

    private static int Nearest(double[] grid, double v)
    {
        int i = Array.BinarySearch(grid, v);
        if (i >= 0) return i;
        i = ~i;
        if (i == 0) return 0;
        if (i == grid.Length) return grid.Length - 1;
        return v - grid[i - 1] < grid[i] - v ? i - 1 : i;
    }

    // Sequential weighted draws without replacement (numpy's rng.choice(replace=False, p=...) in spirit).
    private static IEnumerable<int> WeightedWithoutReplacement(Random rng, double[] weights, int count)
    {
        var w = (double[])weights.Clone();
        for (int c = 0; c < count; c++)
        {
            double total = w.Sum();
            if (!(total > 0)) yield break;
            double r = rng.NextDouble() * total;
            int pick = -1;
            for (int i = 0; i < w.Length; i++)
            {
                if (w[i] <= 0) continue;
                pick = i;
                r -= w[i];
                if (r < 0) break;
            }
            if (pick < 0) yield break;
            w[pick] = 0;
            yield return pick;
        }
    }
}
