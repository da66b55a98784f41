using System.Text.Json;
using EdgeAutoMl.Search.Distributions;
using EdgeAutoMl.Search.Samplers;
using EdgeAutoMl.Storage;

namespace EdgeAutoMl.Search.Tests.Samplers;

/// <summary>
/// The group decomposition of the finished trials' params (Optuna's _GroupDecomposedSearchSpace): hand-computed cases,
/// and the same trials replayed through python3-optuna's own class.
/// </summary>
public class GroupDecomposedSearchSpaceTests
{
    private static readonly FloatDistribution Unit = new(0, 1);

    // A study whose trials have exactly the given params (all in [0, 1] unless given), each told COMPLETE or PRUNED.
    private static Study StudyWith(IEnumerable<(string[] Params, bool Pruned)> trials, Action<Study>? afterEach = null)
    {
        var study = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, new RandomSampler(1));
        foreach (var (names, pruned) in trials)
        {
            Trial t = study.Ask();
            foreach (string n in names) t.SuggestFloat(n, 0, 1);
            if (pruned) study.Tell(t, TrialState.Pruned); else study.Tell(t, 1.0);
            afterEach?.Invoke(study);
        }
        return study;
    }

    private static string[][] Names(IReadOnlyList<IReadOnlyDictionary<string, Distribution>> groups) =>
        groups.Select(g => g.Keys.Order(StringComparer.Ordinal).ToArray()).ToArray();

    private static string Show(string[][] groups) => string.Join(" ", groups.Select(g => "{" + string.Join(",", g) + "}"));

    [Fact]
    public void Each_trial_splits_the_groups_into_what_it_has_and_what_it_lacks()
    {
        // {a,b,c} → {a,b,c}; {a,b} splits off c; {a,d} splits a from b and adds d at the end; a trial with no params
        // changes nothing.
        var space = new GroupDecomposedSearchSpace();
        var seen = new List<string>();
        StudyWith([(["a", "b", "c"], false), (["a", "b"], false), (["a", "d"], false), ([], false)],
            s => seen.Add(Show(Names(space.Calculate(s)))));
        Assert.Equal(["{a,b,c}", "{a,b} {c}", "{a} {b} {c} {d}", "{a} {b} {c} {d}"], seen);
    }

    [Fact]
    public void A_conditional_space_decomposes_into_its_branches()
    {
        // 'kind' chooses between {x1, x2} and {y}; 'z' comes with x1 and x2 only in some trials, after y was seen.
        Study study = StudyWith([
            (["kind", "x1", "x2"], false), (["kind", "y"], false), (["kind", "x1", "x2", "z"], false),
            (["kind", "y"], false), (["kind", "x1", "x2"], false),
        ]);
        Assert.Equal("{kind} {x1,x2} {y} {z}", Show(Names(new GroupDecomposedSearchSpace().Calculate(study))));
    }

    [Fact]
    public void Pruned_trials_count_only_when_asked_and_running_ones_never()
    {
        Study study = StudyWith([(["a", "b"], false), (["a"], true)]);
        Trial running = study.Ask();
        running.SuggestFloat("c", 0, 1);
        running.SuggestFloat("b", 0, 1);
        Assert.Equal("{a,b}", Show(Names(new GroupDecomposedSearchSpace().Calculate(study))));
        Assert.Equal("{a} {b}", Show(Names(new GroupDecomposedSearchSpace(includePruned: true).Calculate(study))));
    }

    [Fact]
    public void A_param_keeps_its_first_distribution_and_handed_out_groups_do_not_change()
    {
        var study = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, new RandomSampler(1));
        var space = new GroupDecomposedSearchSpace();
        Trial t = study.Ask();
        t.SuggestFloat("a", 0, 1);
        t.SuggestInt("b", 1, 8);
        study.Tell(t, 1.0);
        var first = space.Calculate(study);
        Assert.Same(first, space.Calculate(study)); // nothing new: the same snapshot
        t = study.Ask();
        t.SuggestFloat("a", 0, 2);
        study.Tell(t, 1.0);
        var second = space.Calculate(study);
        Assert.Equal("{a,b}", Show(Names(first)));
        Assert.Equal("{a} {b}", Show(Names(second)));
        Assert.Equal(Unit, second[0]["a"]);
        Assert.Equal(new IntDistribution(1, 8), second[1]["b"]);
    }

    [Fact]
    public void One_space_follows_one_study()
    {
        var storage = new InMemoryStorage();
        var space = new GroupDecomposedSearchSpace();
        space.Calculate(Study.Create(storage, "one", StudyDirection.Minimize));
        var e = Assert.Throws<InvalidOperationException>(() => space.Calculate(Study.Create(storage, "two", StudyDirection.Minimize)));
        Assert.Contains("one study", e.Message);
    }

    [Fact]
    public void Trials_finishing_out_of_order_give_the_groups_in_the_order_they_were_seen()
    {
        // Trial 1 ({b}) finishes before trial 0 ({a}): Optuna refolds all trials each time, which leaves {b} first.
        var study = Study.Create(new InMemoryStorage(), "g", StudyDirection.Minimize, new RandomSampler(1));
        var space = new GroupDecomposedSearchSpace();
        Trial t0 = study.Ask(), t1 = study.Ask();
        t0.SuggestFloat("a", 0, 1);
        t1.SuggestFloat("b", 0, 1);
        study.Tell(t1, 1.0);
        Assert.Equal("{b}", Show(Names(space.Calculate(study))));
        study.Tell(t0, 1.0);
        Assert.Equal("{b} {a}", Show(Names(space.Calculate(study))));
    }

    private const string OptunaScript = """
import json, sys
import optuna
from optuna.distributions import FloatDistribution
from optuna.trial import TrialState, create_trial
from optuna.samplers._search_space.group_decomposed import _GroupDecomposedSearchSpace

optuna.logging.set_verbosity(optuna.logging.ERROR)
req = json.load(sys.stdin)
out = {}
for include_pruned in (False, True):
    study = optuna.create_study()
    space = _GroupDecomposedSearchSpace(include_pruned)
    history = []
    for t in req:
        state = TrialState.PRUNED if t["pruned"] else TrialState.COMPLETE
        study.add_trial(create_trial(state=state, value=None if t["pruned"] else 1.0,
                                     params={n: 0.5 for n in t["params"]},
                                     distributions={n: FloatDistribution(0, 1) for n in t["params"]}))
        history.append([sorted(g.keys()) for g in space.calculate(study).search_spaces])
    out[str(include_pruned).lower()] = history
print(json.dumps(out))
""";

    // Trials of a conditional space: 'k' picks branch a ({a1, a2, a3}) or b ({b1, b2}); {c1, c2} come along in about
    // half; now and then a trial stops early with part of a branch. About a fifth are pruned.
    private static List<(string[] Params, bool Pruned)> RandomTrials(int seed, int count)
    {
        var rng = new Random(seed);
        var trials = new List<(string[], bool)>();
        for (int i = 0; i < count; i++)
        {
            var p = new List<string> { "k" };
            p.AddRange(rng.Next(2) == 0 ? ["a1", "a2", "a3"] : ["b1", "b2"]);
            if (rng.NextDouble() < 0.5) p.AddRange(["c1", "c2"]);
            if (rng.NextDouble() < 0.1)
            {
                int cut = rng.Next(1, p.Count);
                p.RemoveRange(cut, p.Count - cut);
            }
            trials.Add((p.ToArray(), rng.NextDouble() < 0.2));
        }
        return trials;
    }

    [NeedsOptunaFact]
    public void Groups_match_optunas_after_every_trial()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            List<(string[] Params, bool Pruned)> trials = RandomTrials(seed, 40);
            string request = JsonSerializer.Serialize(trials.Select(t => new { @params = t.Params, pruned = t.Pruned }));
            var (code, stdout, stderr) = OptunaParzenReplayTests.RunPython(OptunaScript, request);
            Assert.True(code == 0, stderr);
            var optuna = JsonSerializer.Deserialize<Dictionary<string, string[][][]>>(stdout.Trim().Split('\n')[^1])!;
            foreach (bool includePruned in new[] { false, true })
            {
                var space = new GroupDecomposedSearchSpace(includePruned);
                var ours = new List<string[][]>();
                StudyWith(trials, s => ours.Add(Names(space.Calculate(s))));
                string[][][] theirs = optuna[includePruned ? "true" : "false"];
                Assert.Equal(theirs.Length, ours.Count);
                for (int i = 0; i < ours.Count; i++)
                    Assert.True(Show(theirs[i]) == Show(ours[i]),
                        $"seed {seed}, include pruned {includePruned}, after trial {i}: Optuna {Show(theirs[i])}, ours {Show(ours[i])}");
                // Not a trivial decomposition: the branches end up in separate groups.
                Assert.True(ours[^1].Length >= 3, Show(ours[^1]));
            }
        }
    }
}
