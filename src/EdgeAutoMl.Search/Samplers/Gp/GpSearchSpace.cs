using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search.Samplers.Gp;

/// <summary>
/// The GP's view of a search space (Optuna's <c>_gp/search_space.py</c>): every numeric param maps to [0,1] (log params in
/// log space, int and stepped params with half a step of margin so each grid value owns an equal cell); a categorical
/// param is its choice index, compared by the kernel as equal / not equal. Params are in name order.
/// </summary>
public sealed class GpSearchSpace
{
    /// <summary>Discrete dims with more grid values than this are optimised as continuous and rounded afterwards.</summary>
    public const int MaxEnumeratedGrid = 4096;

    private readonly (double Low, double High)[] _bounds;

    /// <summary>Builds the space from distributions (ordered by name).</summary>
    /// <exception cref="ArgumentException">An empty space.</exception>
    public GpSearchSpace(IReadOnlyDictionary<string, Distribution> space)
    {
        if (space.Count == 0) throw new ArgumentException("The GP search space has no params.", nameof(space));
        Names = space.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Distributions = Names.Select(n => space[n]).ToArray();
        int d = Names.Length;
        IsCategorical = new bool[d];
        _bounds = new (double, double)[d];
        Grids = new double[]?[d];
        for (int j = 0; j < d; j++)
        {
            Distribution dist = Distributions[j];
            if (dist is CategoricalDistribution c)
            {
                IsCategorical[j] = true;
                Grids[j] = Enumerable.Range(0, c.Choices.Count).Select(i => (double)i).ToArray();
                continue;
            }
            _bounds[j] = SearchSpaceTransform.Bounds(dist);
            long count = GridCount(dist);
            if (count > 0 && count <= MaxEnumeratedGrid)
                Grids[j] = Enumerable.Range(0, (int)count).Select(k => Normalize(j, GridValue(dist, k))).ToArray();
        }
    }

    /// <summary>Param names, in dimension order.</summary>
    public string[] Names { get; }
    /// <summary>Distribution of each dimension.</summary>
    public Distribution[] Distributions { get; }
    /// <summary>Which dimensions are categorical (Hamming distance in the kernel).</summary>
    public bool[] IsCategorical { get; }
    /// <summary>
    /// The normalized values a discrete dimension can take (choice indices for categoricals, grid points for int and
    /// stepped params); null for continuous dimensions and for very fine grids.
    /// </summary>
    public double[]?[] Grids { get; }
    /// <summary>Number of dimensions.</summary>
    public int Dimension => Names.Length;

    /// <summary>Whether dimension <paramref name="j"/> is an int or stepped param (rounded onto its grid).</summary>
    public bool IsStepped(int j) => Distributions[j] is IntDistribution or FloatDistribution { Step: not null };

    /// <summary>Whether gradient steps move dimension <paramref name="j"/> (non-categorical without an enumerated grid).</summary>
    public bool IsContinuous(int j) => !IsCategorical[j] && Grids[j] is null;

    /// <summary>Internal value → normalized coordinate.</summary>
    public double Normalize(int j, double internalValue)
    {
        if (IsCategorical[j]) return internalValue;
        var (lo, hi) = _bounds[j];
        if (hi == lo) return 0.5;
        return (SearchSpaceTransform.Transform(Distributions[j], internalValue) - lo) / (hi - lo);
    }

    /// <summary>Normalized coordinate → internal value (choice index, or value snapped onto the param's grid and range).</summary>
    public double Unnormalize(int j, double u)
    {
        if (IsCategorical[j])
            return Math.Clamp(Math.Round(u), 0, ((CategoricalDistribution)Distributions[j]).Choices.Count - 1);
        var (lo, hi) = _bounds[j];
        return SearchSpaceTransform.Untransform(Distributions[j], lo + Math.Clamp(u, 0, 1) * (hi - lo));
    }

    /// <summary>Snaps a normalized coordinate onto what the param can take (identity for continuous float params).</summary>
    public double Round(int j, double u)
    {
        if (IsCategorical[j]) return Unnormalize(j, u);
        if (!IsStepped(j)) return Math.Clamp(u, 0, 1);
        return Normalize(j, Unnormalize(j, u));
    }

    /// <summary>Maps a point of the unit cube (e.g. Sobol') to a valid normalized point: choice k of n owns [k/n, (k+1)/n).</summary>
    public double[] FromUnitCube(double[] u)
    {
        var x = new double[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            if (IsCategorical[j])
            {
                int n = ((CategoricalDistribution)Distributions[j]).Choices.Count;
                x[j] = Math.Min(Math.Floor(u[j] * n), n - 1);
            }
            else x[j] = Round(j, u[j]);
        }
        return x;
    }

    // Number of grid values of an int/stepped param, 0 for continuous ones.
    private static long GridCount(Distribution d) => d switch
    {
        IntDistribution i => (i.High - i.Low) / i.Step + 1,
        FloatDistribution { Step: { } s } f => (long)Math.Floor((f.High - f.Low) / s + 1e-8) + 1,
        _ => 0,
    };

    private static double GridValue(Distribution d, long k) => d switch
    {
        IntDistribution i => i.Low + k * i.Step,
        FloatDistribution { Step: { } s } f => Math.Min(f.Low + k * s, f.High),
        _ => throw new ArgumentException("Not a stepped distribution."),
    };
}
