using System.Security.Cryptography;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Nsga2;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>
/// Pins every suggestion of TPE (univariate, multivariate, constant liar, MOTPE) and NSGA-II, bit for bit, for one seed
/// and a few hundred trials (enough for the "above" estimator to pass the sizes where speed-ups switch paths). Speed
/// work must not move a single draw: a new hash here means the proposals changed. When a change of the sampling math
/// is intended (sample efficiency work), run the test, check the new trace is what was meant, and update the hash.
/// </summary>
public class SuggestionTraceTests
{
    // Every kind of param the samplers handle: plain, log and stepped floats, plain and log ints, a categorical.
    private static double[] Objective(Trial t, int objectives)
    {
        double x = t.SuggestFloat("x", -5, 5);
        double lr = t.SuggestFloat("lr", 1e-5, 1e-1, log: true);
        double q = t.SuggestFloat("q", 0, 1, step: 0.05);
        int n = t.SuggestInt("n", -10, 10);
        int bits = t.SuggestInt("bits", 1, 64, log: true);
        string act = t.SuggestCategorical("act", new[] { "relu", "tanh", "gelu" });
        double f0 = (x - 1.3) * (x - 1.3) + Math.Abs(Math.Log10(lr) + 3) + (q - 0.35) * (q - 0.35) + 0.1 * (n - 2) * (n - 2) +
                    (act == "tanh" ? 0.4 : 0) + Math.Abs(bits - 12) / 16.0;
        double f1 = (x + 1) * (x + 1) + q + Math.Log(bits) + (act == "relu" ? 0.3 : 0);
        return objectives == 1 ? [f0] : [f0, f1];
    }

    // A conditional space for TpeOptions.Group: 'branch' chooses {x, lr} or {n, act}; q comes along in about half
    // of the first branch's trials (when x > 0).
    private static double[] Conditional(Trial t, int objectives)
    {
        if (t.SuggestCategorical("branch", new[] { "float", "int" }) == "float")
        {
            double x = t.SuggestFloat("x", -5, 5), lr = t.SuggestFloat("lr", 1e-5, 1e-1, log: true);
            double q = x > 0 ? t.SuggestFloat("q", 0, 1, step: 0.05) : 0.35;
            return [(x - 1.3) * (x - 1.3) + Math.Abs(Math.Log10(lr) + 3) + (q - 0.35) * (q - 0.35)];
        }
        int n = t.SuggestInt("n", -10, 10);
        string act = t.SuggestCategorical("act", new[] { "relu", "tanh", "gelu" });
        return [0.5 + 0.1 * (n - 2) * (n - 2) + (act == "tanh" ? 0.4 : 0)];
    }

    // SHA-256 of the bit patterns of every trial's internal param values, trials by number and params by name.
    private static string Trace(ISampler sampler, int objectives, int trials, int inFlight = 1,
        Func<Trial, int, double[]>? objective = null)
    {
        objective ??= Objective;
        var study = Study.Create(new InMemoryStorage(), "trace",
            Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray(), sampler);
        // inFlight > 1 keeps that many trials RUNNING while the next is asked for (what constant liar is for).
        var running = new Queue<(Trial Trial, double[] Values)>();
        for (int i = 0; i < trials; i++)
        {
            Trial trial = study.Ask();
            running.Enqueue((trial, objective(trial, objectives)));
            if (running.Count >= inFlight) study.Tell(running.Peek().Trial, running.Dequeue().Values);
        }
        while (running.TryDequeue(out var left)) study.Tell(left.Trial, left.Values);
        using var sha = SHA256.Create();
        var bytes = new List<byte>();
        foreach (FrozenTrial t in study.Trials)
            foreach (var (_, v) in t.InternalParams.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                bytes.AddRange(BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(v)));
        return Convert.ToHexString(sha.ComputeHash(bytes.ToArray()))[..16];
    }

    // TPE's traces for both kernel kinds (TpeOptions.NormalizedKernels: width-weighted, normalised). The default is
    // width-weighted whatever the number of objectives (see Tpe_default_is_width_weighted).
    [Theory]
    [InlineData(false, "6474E7E630A6BA4E")]
    [InlineData(true, "D6AF76E1F63BFDAB")]
    public void Tpe_univariate_trace_is_unchanged(bool normalized, string hash) =>
        Assert.Equal(hash, Trace(new TpeSampler(3, new TpeOptions { NormalizedKernels = normalized }), 1, 320));

    [Theory]
    [InlineData(false, "4B459610773B80EA")]
    [InlineData(true, "8C7C37DD78235720")]
    public void Tpe_multivariate_trace_is_unchanged(bool normalized, string hash) =>
        Assert.Equal(hash, Trace(new TpeSampler(4, new TpeOptions { Multivariate = true, NormalizedKernels = normalized }), 1, 300));

    // Group-decomposed multivariate TPE on a conditional space; on the unconditional one every param is in one group,
    // so it must suggest exactly what plain multivariate TPE does (the hash above).
    [Theory]
    [InlineData(false, "6AE5478D291F5F0B")]
    [InlineData(true, "96E0FDED78ADF425")]
    public void Tpe_group_trace_is_unchanged(bool normalized, string hash) =>
        Assert.Equal(hash, Trace(new TpeSampler(8, new TpeOptions { Multivariate = true, Group = true, NormalizedKernels = normalized }),
            1, 300, objective: Conditional));

    [Fact]
    public void Tpe_group_on_an_unconditional_space_is_multivariate_tpe() =>
        Assert.Equal("4B459610773B80EA", Trace(new TpeSampler(4, new TpeOptions { Multivariate = true, Group = true, NormalizedKernels = false }), 1, 300));

    [Theory]
    [InlineData(false, "7ABCF9443CEAB0BD")]
    [InlineData(true, "3178CD3A0279C846")]
    public void Tpe_constant_liar_trace_is_unchanged(bool normalized, string hash) =>
        Assert.Equal(hash, Trace(new TpeSampler(5, new TpeOptions { ConstantLiar = true, NormalizedKernels = normalized }), 1, 300, inFlight: 3));

    [Theory]
    [InlineData(false, "49C3FAAB40D7A10B")]
    [InlineData(true, "C28CDE8F90825607")]
    public void Motpe_trace_is_unchanged(bool normalized, string hash) =>
        Assert.Equal(hash, Trace(new TpeSampler(6, new TpeOptions { NormalizedKernels = normalized }), 2, 120));

    // The product's search space: int weight bit-widths 2..8 and activation widths 8/16 (step 8); one objective or two.
    private static double[] BitWidths(Trial t, int objectives)
    {
        double noise = 0, size = 0;
        for (int i = 0; i < 6; i++)
        {
            int b = t.SuggestInt($"w{i}", 2, 8), a = t.SuggestInt($"a{i}", 8, 16, step: 8);
            noise += (1 + i) * Math.Pow(4, -b) + 0.01 * (16 - a);
            size += (6 - i) * b + 0.1 * a;
        }
        return objectives == 1 ? [noise + 0.002 * size] : [noise, size];
    }

    // The kernel kind only changes continuous densities: on int params both kinds must propose exactly the same trials,
    // so the choice of default cannot move the product's bit-width search.
    [Fact]
    public void Kernel_kind_does_not_change_an_int_bit_width_search()
    {
        foreach (int objectives in new[] { 1, 2 })
            Assert.Equal(Trace(new TpeSampler(9, new TpeOptions { NormalizedKernels = false }), objectives, 120, objective: BitWidths),
                         Trace(new TpeSampler(9, new TpeOptions { NormalizedKernels = true }), objectives, 120, objective: BitWidths));
        // and the trace is not trivially equal: a different seed proposes differently
        Assert.NotEqual(Trace(new TpeSampler(9), 2, 120, objective: BitWidths), Trace(new TpeSampler(10), 2, 120, objective: BitWidths));
    }

    // The default against the explicit width-weighted traces (each pinned above), with one objective and with two.
    [Fact]
    public void Tpe_default_is_width_weighted()
    {
        Assert.Equal(Trace(new TpeSampler(3, new TpeOptions { NormalizedKernels = false }), 1, 320), Trace(new TpeSampler(3), 1, 320));
        Assert.Equal(Trace(new TpeSampler(6, new TpeOptions { NormalizedKernels = false }), 2, 120), Trace(new TpeSampler(6), 2, 120));
    }

    [Fact]
    public void Nsga2_trace_is_unchanged() =>
        Assert.Equal("61532D40FC964415", Trace(new Nsga2Sampler(7, new Nsga2Options { PopulationSize = 20 }), 2, 300));
}
