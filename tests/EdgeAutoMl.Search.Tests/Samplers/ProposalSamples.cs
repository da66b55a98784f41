using System.Text.Json.Nodes;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>
/// What the proposal tests (<see cref="OptunaTpeProposalTests"/>, <see cref="OptunaMotpeProposalTests"/>) share: float
/// params x0..x{Dims−1} in [Low, High], a history, <see cref="Proposals"/> proposals of the next trial from it by our
/// TPE and by python3-optuna's (seeds 10000 + k on both sides), and the two-sample Kolmogorov–Smirnov statistic that
/// compares the two samples.
/// </summary>
internal sealed record ProposalSamples(StudyDirection[] Directions, int Dims, double Low, double High, int Proposals)
{
    private const string Script = OptunaParzenReplayTests.RequestWithKernelKind + """
from optuna.distributions import FloatDistribution

optuna.logging.set_verbosity(optuna.logging.ERROR)
dims, low, high = req["dims"], req["low"], req["high"]
dist = {f"x{i}": FloatDistribution(low, high) for i in range(dims)}
study = optuna.create_study(directions=req["directions"])
for x, v in req["history"]:
    study.add_trial(optuna.trial.create_trial(params={f"x{i}": xi for i, xi in enumerate(x)}, distributions=dist, values=v))
out = []
for s in range(req["proposals"]):
    study.sampler = optuna.samplers.TPESampler(seed=10000 + s)
    t = study.ask()
    out.append([t.suggest_float(f"x{i}", low, high) for i in range(dims)])
    study.tell(t, state=optuna.trial.TrialState.FAIL)
print(json.dumps(out))
""";

    /// <summary>Suggests every param of a trial.</summary>
    public double[] Suggest(Trial t) => Enumerable.Range(0, Dims).Select(i => t.SuggestFloat($"x{i}", Low, High)).ToArray();

    /// <summary>A history our TPE made on <paramref name="objectives"/> (clustered as in a study, not uniform).</summary>
    public List<(double[] X, double[] Values)> History(int seed, int trials, Func<double[], double[]> objectives)
    {
        var study = Study.Create(new InMemoryStorage(), "h", Directions, new TpeSampler(seed));
        study.Optimize(t => objectives(Suggest(t)), trials);
        return study.Trials.Select(t => (Enumerable.Range(0, Dims).Select(i => (double)t.Params[$"x{i}"]!).ToArray(), t.Values!.ToArray())).ToList();
    }

    /// <summary>Our TPE's proposals from <paramref name="history"/>, with the kernel kind given.</summary>
    public List<double[]> Ours(List<(double[] X, double[] Values)> history, bool normalized)
    {
        var storage = new InMemoryStorage();
        Study.Create(storage, "p", Directions);
        var dist = new FloatDistribution(Low, High);
        int studyId = storage.GetStudyIdFromName("p");
        foreach (var (x, v) in history)
            storage.CreateNewTrial(studyId, new FrozenTrial
            {
                State = TrialState.Complete,
                Values = v,
                InternalParams = Enumerable.Range(0, Dims).ToDictionary(i => $"x{i}", i => x[i]),
                Distributions = Enumerable.Range(0, Dims).ToDictionary(i => $"x{i}", _ => (Distribution)dist),
            });
        var result = new List<double[]>();
        for (int s = 0; s < Proposals; s++)
        {
            Study study = Study.Load(storage, "p", new TpeSampler(10000 + s, new TpeOptions { NormalizedKernels = normalized }));
            Trial t = study.Ask();
            result.Add(Suggest(t));
            study.Tell(t, TrialState.Fail);
        }
        return result;
    }

    /// <summary>python3-optuna's proposals from <paramref name="history"/>, its density shifted to the kernel kind given.</summary>
    public List<double[]> Optuna(List<(double[] X, double[] Values)> history, bool normalized)
    {
        static JsonArray Numbers(IEnumerable<double> v) => new(v.Select(x => (JsonNode)JsonValue.Create(x)).ToArray());
        var req = new JsonObject
        {
            ["normalized"] = normalized,
            ["directions"] = new JsonArray(Directions.Select(d => (JsonNode)(d == StudyDirection.Minimize ? "minimize" : "maximize")).ToArray()),
            ["dims"] = Dims,
            ["low"] = Low,
            ["high"] = High,
            ["proposals"] = Proposals,
            ["history"] = new JsonArray(history.Select(h => (JsonNode)new JsonArray(Numbers(h.X), Numbers(h.Values))).ToArray()),
        };
        var (code, stdout, stderr) = OptunaParzenReplayTests.RunPython(Script, req.ToJsonString());
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsArray()
            .Select(p => p!.AsArray().Select(v => v!.GetValue<double>()).ToArray()).ToList();
    }

    /// <summary>Critical value of D at α = 0.001 for two samples of <see cref="Proposals"/> (asymptotic: c(α) = sqrt(−ln(α/2)/2) = 1.949).</summary>
    public double Critical => 1.949 * Math.Sqrt(2.0 / Proposals);

    /// <summary>
    /// The largest KS statistic over the coordinates and the objective values of the proposals, with where it was
    /// ("x3"; "value" with one objective, "f1", "f2" … with several).
    /// </summary>
    public (double D, string Where) WorstGap(List<double[]> a, List<double[]> b, Func<double[], double[]> objectives)
    {
        List<double[]> fa = a.Select(objectives).ToList(), fb = b.Select(objectives).ToList();
        int count = fa[0].Length;
        return Enumerable.Range(0, Dims)
            .Select(i => (KsStatistic(a.Select(p => p[i]).ToList(), b.Select(p => p[i]).ToList()), $"x{i}"))
            .Concat(Enumerable.Range(0, count).Select(k =>
                (KsStatistic(fa.Select(f => f[k]).ToList(), fb.Select(f => f[k]).ToList()), count == 1 ? "value" : $"f{k + 1}")))
            .MaxBy(g => g.Item1);
    }

    /// <summary>Two-sample Kolmogorov–Smirnov statistic: the largest gap between the two empirical CDFs.</summary>
    public static double KsStatistic(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        double[] x = a.Order().ToArray(), y = b.Order().ToArray();
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v) i++;
            while (j < y.Length && y[j] == v) j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        return d;
    }
}
