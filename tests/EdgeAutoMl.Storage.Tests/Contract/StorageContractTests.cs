using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Storage.Tests.Contract;

/// <summary>What every IStorage must do; run once per implementation.</summary>
public abstract class StorageContractTests : IDisposable
{
    protected abstract IStorage Storage { get; }

    public virtual void Dispose() => (Storage as IDisposable)?.Dispose();

    private int NewStudy(string name = "s", params StudyDirection[] dirs) =>
        Storage.CreateNewStudy(dirs.Length == 0 ? [StudyDirection.Minimize] : dirs, name);

    [Fact]
    public void Studies_by_name_id_and_directions()
    {
        int a = NewStudy("a", StudyDirection.Maximize, StudyDirection.Minimize);
        int b = NewStudy("b");
        Assert.NotEqual(a, b);
        Assert.Equal(a, Storage.GetStudyIdFromName("a"));
        Assert.Equal("b", Storage.GetStudyNameFromId(b));
        Assert.Equal([StudyDirection.Maximize, StudyDirection.Minimize], Storage.GetStudyDirections(a));
        Assert.Equal(["a", "b"], Storage.GetAllStudyNames());
        Assert.Throws<DuplicatedStudyException>(() => NewStudy("a"));
        Assert.Throws<StudyNotFoundException>(() => Storage.GetStudyIdFromName("zzz"));
        Storage.DeleteStudy(a);
        Assert.Throws<StudyNotFoundException>(() => Storage.GetStudyIdFromName("a"));
    }

    [Fact]
    public void Study_attrs_round_trip_as_json_values()
    {
        int s = NewStudy();
        Storage.SetStudyUserAttr(s, "board", "nucleo-l476rg");
        Storage.SetStudyUserAttr(s, "objectives", new[] { "accuracy", "energy_uj" });
        Storage.SetStudyUserAttr(s, "board", "nrf52840dk");
        Storage.SetStudySystemAttr(s, "n", 3);
        var user = Storage.GetStudyUserAttrs(s);
        Assert.Equal("nrf52840dk", user["board"]);
        Assert.Equal(new List<object?> { "accuracy", "energy_uj" }, user["objectives"]);
        Assert.Equal(3L, Storage.GetStudySystemAttrs(s)["n"]);
    }

    [Fact]
    public void Trials_get_consecutive_numbers_and_everything_round_trips()
    {
        int s = NewStudy();
        int t0 = Storage.CreateNewTrial(s);
        int t1 = Storage.CreateNewTrial(s);
        Assert.Equal(0, Storage.GetTrial(t0).Number);
        Assert.Equal(1, Storage.GetTrial(t1).Number);
        Assert.Equal(t1, Storage.GetTrialIdFromStudyIdTrialNumber(s, 1));

        var cat = new CategoricalDistribution(new object?[] { "relu", null, 2.5 });
        Storage.SetTrialParam(t0, "act", 1, cat);
        Storage.SetTrialParam(t0, "bits", 4, new IntDistribution(2, 8));
        Storage.SetTrialParam(t0, "lr", 0.001, new FloatDistribution(1e-5, 1, log: true));
        Storage.SetTrialIntermediateValue(t0, 0, 0.5);
        Storage.SetTrialIntermediateValue(t0, 1, double.NaN);
        Storage.SetTrialIntermediateValue(t0, 2, double.NegativeInfinity);
        Storage.SetTrialUserAttr(t0, "flash_bytes", 12000);
        Storage.SetTrialSystemAttr(t0, "constraints", new[] { -1.0, 0.5 });
        Assert.True(Storage.SetTrialStateValues(t0, TrialState.Complete, [0.25, double.PositiveInfinity]));

        FrozenTrial t = Storage.GetTrial(t0);
        Assert.Equal(TrialState.Complete, t.State);
        Assert.Equal([0.25, double.PositiveInfinity], t.Values);
        Assert.Null(t.Params["act"]);
        Assert.Equal(4L, t.Params["bits"]);
        Assert.Equal(0.001, t.Params["lr"]);
        Assert.Equal(cat, t.Distributions["act"]);
        Assert.Equal(0.5, t.IntermediateValues[0]);
        Assert.True(double.IsNaN(t.IntermediateValues[1]));
        Assert.Equal(double.NegativeInfinity, t.IntermediateValues[2]);
        Assert.Equal(12000L, t.UserAttrs["flash_bytes"]);
        Assert.Equal([-1.0, 0.5], t.Constraints);
        Assert.False(t.IsFeasible);
        Assert.NotNull(t.DatetimeStart);
        Assert.NotNull(t.DatetimeComplete);
    }

    [Fact]
    public void Finished_trials_cannot_be_modified()
    {
        int s = NewStudy();
        int t = Storage.CreateNewTrial(s);
        Storage.SetTrialStateValues(t, TrialState.Fail);
        Assert.Throws<TrialAlreadyFinishedException>(() => Storage.SetTrialParam(t, "x", 1, new FloatDistribution(0, 2)));
        Assert.Throws<TrialAlreadyFinishedException>(() => Storage.SetTrialStateValues(t, TrialState.Complete, [1.0]));
        Assert.Throws<TrialAlreadyFinishedException>(() => Storage.SetTrialUserAttr(t, "k", 1));
        Assert.Throws<TrialAlreadyFinishedException>(() => Storage.SetTrialIntermediateValue(t, 0, 1));
    }

    [Fact]
    public void Waiting_trials_are_claimed_once_in_order()
    {
        int s = NewStudy();
        Assert.Null(Storage.ClaimWaitingTrial(s));
        var template = new FrozenTrial
        {
            State = TrialState.Waiting,
            SystemAttrs = new Dictionary<string, object?> { ["fixed_params"] = new Dictionary<string, object?> { ["bits"] = 3 } },
        };
        int w0 = Storage.CreateNewTrial(s, template);
        int w1 = Storage.CreateNewTrial(s, template);
        Assert.Null(Storage.GetTrial(w0).DatetimeStart);
        Assert.False(Storage.SetTrialStateValues(Storage.CreateNewTrial(s), TrialState.Running));
        Assert.Equal(w0, Storage.ClaimWaitingTrial(s));
        Assert.Equal(w1, Storage.ClaimWaitingTrial(s));
        Assert.Null(Storage.ClaimWaitingTrial(s));
        FrozenTrial claimed = Storage.GetTrial(w0);
        Assert.Equal(TrialState.Running, claimed.State);
        Assert.NotNull(claimed.DatetimeStart);
        Assert.Equal(3L, ((IReadOnlyDictionary<string, object?>)claimed.SystemAttrs["fixed_params"]!)["bits"]);
    }

    [Fact]
    public void Waiting_trials_finished_or_started_directly_are_not_claimed()
    {
        // The in-memory storage counts WAITING trials to skip the scan when there are none: every way out of WAITING
        // must keep that count right (and claims in another study must not touch this one's).
        int s = NewStudy(), other = NewStudy("other");
        var waiting = new FrozenTrial { State = TrialState.Waiting };
        int started = Storage.CreateNewTrial(s, waiting);
        int failed = Storage.CreateNewTrial(s, waiting);
        int elsewhere = Storage.CreateNewTrial(other, waiting);
        Assert.True(Storage.SetTrialStateValues(started, TrialState.Running));
        Assert.True(Storage.SetTrialStateValues(failed, TrialState.Fail));
        Assert.Null(Storage.ClaimWaitingTrial(s));
        int late = Storage.CreateNewTrial(s, waiting);
        Assert.Equal(late, Storage.ClaimWaitingTrial(s));
        Assert.Null(Storage.ClaimWaitingTrial(s));
        Assert.Equal(elsewhere, Storage.ClaimWaitingTrial(other));
    }

    [Fact]
    public void Concurrent_claims_hand_each_waiting_trial_to_exactly_one_caller()
    {
        int s = NewStudy();
        for (int i = 0; i < 20; i++) Storage.CreateNewTrial(s, new FrozenTrial { State = TrialState.Waiting });
        var claimed = new System.Collections.Concurrent.ConcurrentBag<int>();
        Parallel.For(0, 4, _ =>
        {
            while (Storage.ClaimWaitingTrial(s) is { } id) claimed.Add(id);
        });
        Assert.Equal(20, claimed.Count);
        Assert.Equal(20, claimed.Distinct().Count());
    }

    [Fact]
    public void Template_copies_a_finished_trial()
    {
        int s = NewStudy();
        var template = new FrozenTrial
        {
            State = TrialState.Complete,
            Values = [1.5],
            DatetimeStart = new DateTime(2024, 1, 2, 3, 4, 5, 678),
            DatetimeComplete = new DateTime(2024, 1, 2, 3, 5, 0),
            InternalParams = new Dictionary<string, double> { ["w"] = 4 },
            Distributions = new Dictionary<string, Distribution> { ["w"] = new IntDistribution(2, 8, 2) },
            UserAttrs = new Dictionary<string, object?> { ["note"] = "seeded" },
            IntermediateValues = new Dictionary<int, double> { [5] = 2.0 },
        };
        FrozenTrial copy = Storage.GetTrial(Storage.CreateNewTrial(s, template));
        Assert.Equal(template.DatetimeStart, copy.DatetimeStart);
        Assert.Equal(template.DatetimeComplete, copy.DatetimeComplete);
        Assert.Equal(4L, copy.Params["w"]);
        Assert.Equal([1.5], copy.Values);
        Assert.Equal("seeded", copy.UserAttrs["note"]);
        Assert.Equal(2.0, copy.IntermediateValues[5]);
    }

    [Fact]
    public void Get_all_trials_filters_by_state_and_orders_by_number()
    {
        int s = NewStudy();
        int a = Storage.CreateNewTrial(s);
        int b = Storage.CreateNewTrial(s);
        Storage.CreateNewTrial(s);
        Storage.SetTrialStateValues(a, TrialState.Complete, [1]);
        Storage.SetTrialStateValues(b, TrialState.Pruned);
        Assert.Equal([0, 1, 2], Storage.GetAllTrials(s).Select(t => t.Number));
        Assert.Equal([0], Storage.GetAllTrials(s, [TrialState.Complete]).Select(t => t.Number));
        Assert.Equal([1, 2], Storage.GetAllTrials(s, [TrialState.Pruned, TrialState.Running]).Select(t => t.Number));
        Assert.Empty(Storage.GetAllTrials(NewStudy("other")));
    }

    [Fact]
    public void Incompatible_distributions_and_nan_values_are_rejected()
    {
        int s = NewStudy();
        int a = Storage.CreateNewTrial(s);
        Storage.SetTrialParam(a, "x", 1, new IntDistribution(0, 5));
        int b = Storage.CreateNewTrial(s);
        var e = Assert.Throws<InvalidOperationException>(() => Storage.SetTrialParam(b, "x", 0, new CategoricalDistribution(new object?[] { "a" })));
        Assert.Contains("'x'", e.Message);
        Storage.SetTrialParam(b, "x", 7, new IntDistribution(0, 10)); // a wider int range is fine, as in Optuna
        Assert.Throws<ArgumentException>(() => Storage.SetTrialStateValues(b, TrialState.Complete, [double.NaN]));
    }

    [Fact]
    public void A_whole_study_runs_through_the_storage()
    {
        var study = Study.Create(Storage, "e2e", [StudyDirection.Maximize, StudyDirection.Minimize],
            new Search.Samplers.Tpe.TpeSampler(1, nStartupTrials: 5));
        study.Optimize(t =>
        {
            int bits = t.SuggestInt("bits", 2, 8);
            string act = t.SuggestCategorical("act", new[] { "relu", "relu6" });
            t.SetConstraints(bits < 3 ? 1.0 : -1.0);
            return [bits / 8.0 - (act == "relu" ? 0 : 0.01), bits * 1.5];
        }, 15);
        Assert.Equal(15, study.GetTrials(TrialState.Complete).Count);
        Assert.All(study.BestTrials, t => Assert.True((long)t.Params["bits"]! >= 3));
    }
}

public sealed class InMemoryStorageContractTests : StorageContractTests
{
    protected override IStorage Storage { get; } = new InMemoryStorage();
}

public sealed class SqliteStorageContractTests : StorageContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eaml-sqlite-").FullName;
    private readonly SqliteStorage _storage;

    public SqliteStorageContractTests() => _storage = new SqliteStorage(System.IO.Path.Combine(_dir, "study.db"));

    protected override IStorage Storage => _storage;

    public override void Dispose()
    {
        base.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
