namespace EdgeAutoMl.Bench;

/// <summary>The benchmark functions (same definitions as bench/optuna_compare.py).</summary>
public static class Functions
{
    /// <summary>Names accepted by <see cref="ByName"/>.</summary>
    public static readonly string[] Names = ["branin", "hartmann6", "rosenbrock10", "bitwidth20", "bitwidth20mo", "conditional", "zdt1", "zdt2", "dtlz2"];

    /// <summary>A function by its name.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static BenchmarkFunction ByName(string name) => name.ToLowerInvariant() switch
    {
        "branin" => Branin,
        "hartmann6" => Hartmann6,
        "rosenbrock10" or "rosenbrock-10d" or "rosenbrock" => Rosenbrock10,
        "bitwidth20" or "bitwidth" => BitWidth20,
        "bitwidth20mo" => BitWidth20Mo,
        "conditional" => Conditional,
        "zdt1" => Zdt1,
        "zdt2" => Zdt2,
        "dtlz2" => Dtlz2,
        _ => throw new ArgumentException($"Unknown benchmark function '{name}'; known: {string.Join(", ", Names)}."),
    };

    private static Func<Search.Trial, double[]> Floats(int n, double low, double high) =>
        t => Enumerable.Range(0, n).Select(i => t.SuggestFloat($"x{i}", low, high)).ToArray();

    /// <summary>Branin on [−5,10]×[0,15]; minimum 0.397887.</summary>
    public static readonly BenchmarkFunction Branin = new()
    {
        Name = "branin", Objectives = 1, Optimum = 0.397887,
        Suggest = t => [t.SuggestFloat("x0", -5, 10), t.SuggestFloat("x1", 0, 15)],
        Evaluate = x =>
        {
            double b = 5.1 / (4 * Math.PI * Math.PI), c = 5 / Math.PI, r = 6, s = 10, tt = 1 / (8 * Math.PI);
            double y = x[1] - b * x[0] * x[0] + c * x[0] - r;
            return [y * y + s * (1 - tt) * Math.Cos(x[0]) + s];
        },
    };

    private static readonly double[] HA = [1.0, 1.2, 3.0, 3.2];
    private static readonly double[,] HAm =
    {
        { 10, 3, 17, 3.5, 1.7, 8 }, { 0.05, 10, 17, 0.1, 8, 14 }, { 3, 3.5, 1.7, 10, 17, 8 }, { 17, 8, 0.05, 10, 0.1, 14 },
    };
    private static readonly double[,] HP =
    {
        { 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 }, { 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
        { 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 }, { 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
    };

    /// <summary>Hartmann 6-D on [0,1]^6; minimum −3.32237.</summary>
    public static readonly BenchmarkFunction Hartmann6 = new()
    {
        Name = "hartmann6", Objectives = 1, Optimum = -3.32237,
        Suggest = Floats(6, 0, 1),
        Evaluate = x =>
        {
            double sum = 0;
            for (int i = 0; i < 4; i++)
            {
                double inner = 0;
                for (int j = 0; j < 6; j++) inner += HAm[i, j] * (x[j] - HP[i, j]) * (x[j] - HP[i, j]);
                sum += HA[i] * Math.Exp(-inner);
            }
            return [-sum];
        },
    };

    /// <summary>Rosenbrock 10-D on [−5,10]^10; minimum 0.</summary>
    public static readonly BenchmarkFunction Rosenbrock10 = new()
    {
        Name = "rosenbrock10", Objectives = 1, Optimum = 0,
        Suggest = Floats(10, -5, 10),
        Evaluate = x =>
        {
            double s = 0;
            for (int i = 0; i < 9; i++) s += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
            return [s];
        },
    };

    private static readonly long[] BitChoices = [2, 3, 4, 5, 6, 7, 8];

    // The terms of the bit-width surrogates for 20 layers: quantisation noise Σ s_i·4^(−b_i), weighted bits Σ w_i·b_i and
    // total weight Σ w_i, with layer sensitivities s_i and sizes w_i from fixed formulas (bench/optuna_compare.py has the
    // same). Size and total stay apart so bitwidth20 keeps its arithmetic, 0.02·size/total, bit for bit.
    private static (double Noise, double Size, double Total) BitWidthTerms(double[] b)
    {
        double noise = 0, size = 0, total = 0;
        for (int i = 0; i < 20; i++)
        {
            double s = 1 + 9 * ((i * 7) % 20) / 19.0, w = 1000 * (1 + (i * 13) % 5);
            noise += s * Math.Pow(4, -b[i]);
            size += w * b[i];
            total += w;
        }
        return (noise, size, total);
    }

    /// <summary>
    /// 20 layers, each a categorical bit-width in {2..8}: quantisation noise Σ s_i·4^(−b_i) (s_i = layer sensitivity)
    /// plus a size term 0.02·Σ w_i·b_i / Σ w_i (w_i = layer weights). Sensitivities and sizes follow fixed formulas,
    /// so both implementations agree. Minimum is found near 4–6 bits on sensitive layers and 2–3 bits on the rest.
    /// </summary>
    public static readonly BenchmarkFunction BitWidth20 = new()
    {
        Name = "bitwidth20", Objectives = 1,
        Suggest = t => Enumerable.Range(0, 20).Select(i => (double)t.SuggestCategorical($"layer{i}", BitChoices)).ToArray(),
        Evaluate = b =>
        {
            var (noise, size, total) = BitWidthTerms(b);
            return [noise + 0.02 * size / total];
        },
    };

    /// <summary>
    /// The bit-width surrogate with two objectives and the product's param kind: 20 int bit-widths in 2..8 (as
    /// <c>edgeautoml search</c> suggests them), minimising log10 of the quantisation noise Σ s_i·4^(−b_i) and the
    /// weight-averaged bit-width Σ w_i·b_i / Σ w_i (the same s_i and w_i as <see cref="BitWidth20"/>). Reference point
    /// (1, 8.5) lies beyond both ends of the front (all 2 bits: 0.84, 2; all 8 bits: −2.77, 8).
    /// </summary>
    public static readonly BenchmarkFunction BitWidth20Mo = new()
    {
        Name = "bitwidth20mo", Objectives = 2, ReferencePoint = [1, 8.5],
        Suggest = t => Enumerable.Range(0, 20).Select(i => (double)t.SuggestInt($"layer{i}", 2, 8)).ToArray(),
        Evaluate = b =>
        {
            var (noise, size, total) = BitWidthTerms(b);
            return [Math.Log10(noise), size / total];
        },
    };

    /// <summary>
    /// A conditional space (for <c>tpe:multivariate,group</c>): categorical <c>kind</c> picks branch a, a diagonal
    /// valley (x − y)² + 0.1·(x + y − 2)² in ax, ay ∈ [−5, 5] (minimum 0 at (1, 1); the two only pay off together), or
    /// branch b, a bowl 1 + (u − 1)² + (v + 2)² in bu, bv (minimum 1). The other branch's params are NaN.
    /// </summary>
    public static readonly BenchmarkFunction Conditional = new()
    {
        Name = "conditional", Objectives = 1, Optimum = 0,
        Suggest = t => t.SuggestCategorical("kind", new[] { "a", "b" }) == "a"
            ? [0, t.SuggestFloat("ax", -5, 5), t.SuggestFloat("ay", -5, 5), double.NaN, double.NaN]
            : [1, double.NaN, double.NaN, t.SuggestFloat("bu", -5, 5), t.SuggestFloat("bv", -5, 5)],
        Evaluate = x => x[0] == 0
            ? [(x[1] - x[2]) * (x[1] - x[2]) + 0.1 * (x[1] + x[2] - 2) * (x[1] + x[2] - 2)]
            : [1 + (x[3] - 1) * (x[3] - 1) + (x[4] + 2) * (x[4] + 2)],
    };

    /// <summary>ZDT1, 30 variables in [0,1]; convex front f2 = 1 − √f1.</summary>
    public static readonly BenchmarkFunction Zdt1 = new()
    {
        Name = "zdt1", Objectives = 2, ReferencePoint = [11, 11], Optimum = 120 + 2.0 / 3,
        Suggest = Floats(30, 0, 1),
        Evaluate = x =>
        {
            double g = 1 + 9 * x.Skip(1).Sum() / 29;
            return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
        },
    };

    /// <summary>ZDT2, 30 variables in [0,1]; concave front f2 = 1 − f1².</summary>
    public static readonly BenchmarkFunction Zdt2 = new()
    {
        Name = "zdt2", Objectives = 2, ReferencePoint = [11, 11], Optimum = 120 + 1.0 / 3,
        Suggest = Floats(30, 0, 1),
        Evaluate = x =>
        {
            double g = 1 + 9 * x.Skip(1).Sum() / 29;
            return [x[0], g * (1 - Math.Pow(x[0] / g, 2))];
        },
    };

    /// <summary>DTLZ2 with 3 objectives and 12 variables in [0,1]; front is the unit sphere octant.</summary>
    public static readonly BenchmarkFunction Dtlz2 = new()
    {
        Name = "dtlz2", Objectives = 3, ReferencePoint = [3, 3, 3],
        Suggest = Floats(12, 0, 1),
        Evaluate = x =>
        {
            double g = 0;
            for (int i = 2; i < 12; i++) g += (x[i] - 0.5) * (x[i] - 0.5);
            double a = x[0] * Math.PI / 2, b = x[1] * Math.PI / 2;
            return [(1 + g) * Math.Cos(a) * Math.Cos(b), (1 + g) * Math.Cos(a) * Math.Sin(b), (1 + g) * Math.Sin(a)];
        },
    };
}
