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

    // SHA-256 of the bit patterns of every trial's internal param values, trials by number and params by name.
    private static string Trace(ISampler sampler, int objectives, int trials, int inFlight = 1)
    {
        var study = Study.Create(new InMemoryStorage(), "trace",
            Enumerable.Repeat(StudyDirection.Minimize, objectives).ToArray(), sampler);
        // inFlight > 1 keeps that many trials RUNNING while the next is asked for (what constant liar is for).
        var running = new Queue<(Trial Trial, double[] Values)>();
        for (int i = 0; i < trials; i++)
        {
            Trial trial = study.Ask();
            running.Enqueue((trial, Objective(trial, objectives)));
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

    [Fact]
    public void Tpe_univariate_trace_is_unchanged() =>
        Assert.Equal("D6AF76E1F63BFDAB", Trace(new TpeSampler(3), 1, 320));

    [Fact]
    public void Tpe_multivariate_trace_is_unchanged() =>
        Assert.Equal("8C7C37DD78235720", Trace(new TpeSampler(4, new TpeOptions { Multivariate = true }), 1, 300));

    [Fact]
    public void Tpe_constant_liar_trace_is_unchanged() =>
        Assert.Equal("3178CD3A0279C846", Trace(new TpeSampler(5, new TpeOptions { ConstantLiar = true }), 1, 300, inFlight: 3));

    [Fact]
    public void Motpe_trace_is_unchanged() =>
        Assert.Equal("99FF6141A70D8BA9", Trace(new TpeSampler(6), 2, 120));

    [Fact]
    public void Nsga2_trace_is_unchanged() =>
        Assert.Equal("61532D40FC964415", Trace(new Nsga2Sampler(7, new Nsga2Options { PopulationSize = 20 }), 2, 300));
}
