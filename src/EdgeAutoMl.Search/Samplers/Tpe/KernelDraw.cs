namespace EdgeAutoMl.Search.Samplers.Tpe;

/// <summary>The two discrete draws both Parzen estimators (univariate and multivariate) make when they sample.</summary>
internal static class KernelDraw
{
    /// <summary>First kernel whose cumulative weight exceeds u (the last one if rounding leaves u above all).</summary>
    public static int Kernel(Random rng, double[] cumulativeWeights)
    {
        double u = rng.NextDouble();
        int lo = 0, hi = cumulativeWeights.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (u < cumulativeWeights[mid]) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>A category index drawn from its probabilities (the last one if rounding leaves u above their sum).</summary>
    public static int Index(Random rng, double[] probabilities)
    {
        double u = rng.NextDouble(), acc = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            acc += probabilities[i];
            if (u < acc) return i;
        }
        return probabilities.Length - 1;
    }
}
