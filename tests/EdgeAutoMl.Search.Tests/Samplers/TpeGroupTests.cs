using System.Text.Json;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Search.Samplers.Tpe;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>Group-decomposed multivariate TPE, as Optuna's TPESampler(multivariate=True, group=True).</summary>
public class TpeGroupTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TpeOptions GroupOptions = new() { Multivariate = true, Group = true };

    // A conditional space: 'kind' chooses branch a (a diagonal valley in ax, ay: the two only pay off together,
    // minimum 0) or branch b (a bowl in bu, bv, minimum 1).
    private static double Conditional(Trial t)
    {
        if (t.SuggestCategorical("kind", new[] { "a", "b" }) == "a")
        {
            double x = t.SuggestFloat("ax", -5, 5), y = t.SuggestFloat("ay", -5, 5);
            return (x - y) * (x - y) + 0.1 * (x + y - 2) * (x + y - 2);
        }
        double u = t.SuggestFloat("bu", -5, 5), v = t.SuggestFloat("bv", -5, 5);
        return 1 + (u - 1) * (u - 1) + (v + 2) * (v + 2);
    }

    private static Study Run(ISampler sampler, int trials)
    {
        var study = Study.Create(new InMemoryStorage(), "c", StudyDirection.Minimize, sampler);
        study.Optimize(Conditional, trials);
        return study;
    }

    [Fact]
    public void Conditional_params_are_sampled_jointly_by_branch()
    {
        var sampler = new TpeSampler(3, GroupOptions);
        Study study = Run(sampler, 30);
        FrozenTrial next = study.Ask().Snapshot();
        var space = sampler.InferRelativeSearchSpace(study, next);
        Assert.Equal(["ax", "ay", "bu", "bv", "kind"], space.Keys.Order(StringComparer.Ordinal));
        var relative = sampler.SampleRelative(study, next, space);
        Assert.Equal(space.Keys.Order(StringComparer.Ordinal), relative.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in relative) Assert.True(space[name].Contains(value), $"{name} = {value}");

        // Without group only the params every trial has are relative: the branches' fall back to independent draws.
        var plain = new TpeSampler(3, new TpeOptions { Multivariate = true });
        Study plainStudy = Run(plain, 30);
        Assert.Equal(["kind"], plain.InferRelativeSearchSpace(plainStudy, plainStudy.Ask().Snapshot()).Keys);
    }

    [Fact]
    public void Optimises_a_conditional_space_better_than_random()
    {
        // Mean best value over a few seeds at 200 trials (over seeds 0..9 when written: group 0.007, random 0.195).
        int[] seeds = [0, 1, 2, 3, 4];
        double group = seeds.Average(s => Run(new TpeSampler(s, GroupOptions), 200).BestValue);
        double random = seeds.Average(s => Run(new RandomSampler(s), 200).BestValue);
        Assert.True(group < 0.25 * random, $"group TPE mean best {group}, random {random}");
    }

    [Fact]
    public void Same_seed_same_suggestions()
    {
        static string Trace(int seed) => string.Join(";", Run(new TpeSampler(seed, GroupOptions), 40).Trials
            .Select(t => string.Join(",", t.InternalParams.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key}={BitConverter.DoubleToInt64Bits(kv.Value)}"))));
        Assert.Equal(Trace(8), Trace(8));
        Assert.NotEqual(Trace(8), Trace(9));
    }

    private const string OptunaScript = """
import json, sys
import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)
req = json.load(sys.stdin)
kinds = ["a", "b"]
study = optuna.create_study()
for params, value in req["history"]:
    dists = {n: CategoricalDistribution(kinds) if n == "kind" else FloatDistribution(-5, 5) for n in params}
    ext = {n: kinds[int(v)] if n == "kind" else v for n, v in params.items()}
    study.add_trial(create_trial(params=ext, distributions=dists, value=value))
out = []
for s in range(req["proposals"]):
    study.sampler = optuna.samplers.TPESampler(seed=10000 + s, multivariate=True, group=req["group"])
    t = study.ask()
    out.append([float(kinds.index(t.suggest_categorical("kind", kinds)))] +
               [t.suggest_float(n, -5, 5) for n in ("ax", "ay", "bu", "bv")])
    study.tell(t, state=TrialState.FAIL)
print(json.dumps(out))
""";

    private static readonly string[] Floats = ["ax", "ay", "bu", "bv"];

    // Every param asked for, whatever 'kind' says, so each proposal shows the whole relative draw.
    private static double[] ProposeAll(Trial t) =>
        [t.SuggestCategorical("kind", new[] { "a", "b" }) == "a" ? 0 : 1, .. Floats.Select(n => t.SuggestFloat(n, -5, 5))];

    [NeedsOptunaFact]
    public void Proposals_follow_optunas_distribution_on_a_conditional_space()
    {
        // A history group TPE made on the conditional space; then, from it, 300 proposals per side with different
        // seeds: each coordinate, and ax − ay (what only a joint draw of ax and ay gets right), must come from the
        // same distribution as Optuna's (two-sample Kolmogorov–Smirnov at α = 0.001).
        const int proposals = 300;
        Study made = Run(new TpeSampler(5, GroupOptions), 60);
        var history = made.Trials.Select(t => (Params: t.InternalParams.ToDictionary(), Value: t.Value)).ToList();

        var storage = new InMemoryStorage();
        Study.Create(storage, "p", StudyDirection.Minimize);
        int studyId = storage.GetStudyIdFromName("p");
        var kind = new CategoricalDistribution(["a", "b"]);
        var unit = new FloatDistribution(-5, 5);
        foreach (var (p, v) in history)
            storage.CreateNewTrial(studyId, new FrozenTrial
            {
                State = TrialState.Complete,
                Values = [v],
                InternalParams = p,
                Distributions = p.Keys.ToDictionary(n => n, n => n == "kind" ? kind : (Distribution)unit),
            });
        var ours = new List<double[]>();
        for (int s = 0; s < proposals; s++)
        {
            Study study = Study.Load(storage, "p", new TpeSampler(10000 + s, GroupOptions));
            Trial t = study.Ask();
            ours.Add(ProposeAll(t));
            study.Tell(t, TrialState.Fail);
        }

        List<double[]> Optuna(bool group)
        {
            string request = JsonSerializer.Serialize(new { history = history.Select(h => new object[] { h.Params, h.Value }), proposals, group });
            var (code, stdout, stderr) = OptunaParzenReplayTests.RunPython(OptunaScript, request);
            Assert.True(code == 0, stderr);
            return JsonSerializer.Deserialize<List<double[]>>(stdout.Trim().Split('\n')[^1])!;
        }

        string[] names = ["kind", .. Floats, "ax-ay"];
        double Coordinate(double[] p, int i) => i < 5 ? p[i] : p[1] - p[2];
        List<(string Name, double D)> Gaps(List<double[]> theirs) => Enumerable.Range(0, names.Length)
            .Select(i => (names[i], ProposalSamples.KsStatistic(
                ours.Select(p => Coordinate(p, i)).ToList(), theirs.Select(p => Coordinate(p, i)).ToList()))).ToList();
        double critical = 1.949 * Math.Sqrt(2.0 / proposals);
        var same = Gaps(Optuna(group: true));
        var differ = Gaps(Optuna(group: false));
        string report = $"critical D {critical:F3}; vs Optuna group: " + string.Join(", ", same.Select(g => $"{g.Name} {g.D:F3}")) +
                        "; vs Optuna without group: " + string.Join(", ", differ.Select(g => $"{g.Name} {g.D:F3}"));
        output.WriteLine(report);
        Assert.True(same.All(g => g.D < critical), report);
        // Power: without group Optuna draws the branches' params independently, which the test must tell apart.
        Assert.True(differ.Max(g => g.D) > critical, report);
    }

    [Fact]
    public void Group_needs_multivariate()
    {
        var e = Assert.Throws<ArgumentException>(() => new TpeSampler(1, new TpeOptions { Group = true }));
        Assert.Contains("Multivariate", e.Message);
    }
}
