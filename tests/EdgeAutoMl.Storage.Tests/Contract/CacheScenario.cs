using System.Globalization;
using EdgeAutoMl.Search;
using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Storage.Tests.Contract;

/// <summary>
/// The finished-trial cache must be invisible: a caching storage object reads exactly what a non-caching one reads,
/// while other storage objects (other processes) create, claim, update and finish trials in between.
/// </summary>
public static class CacheScenario
{
    /// <param name="open">Opens a new storage object on the same database: (cacheFinishedTrials) → storage.</param>
    /// <param name="seed">Seed of the random operation sequence.</param>
    public static void Cached_reads_equal_uncached_reads_while_other_writers_change_the_study(Func<bool, IStorage> open, int seed)
    {
        var storages = new List<IStorage>();
        IStorage Open(bool cache) { var s = open(cache); storages.Add(s); return s; }
        try
        {
            IStorage cached = Open(true), plain = Open(false), otherWriter = Open(true);
            IStorage[] writers = [cached, otherWriter, Open(false)];
            int study = cached.CreateNewStudy([StudyDirection.Minimize], "cache-" + seed);
            var rng = new Random(seed);
            var live = new List<int>(); // trial ids that may still change
            var dist = new FloatDistribution(0, 1);
            for (int step = 0; step < 120; step++)
            {
                IStorage w = writers[rng.Next(writers.Length)];
                switch (rng.Next(7))
                {
                    case 0 or 1:
                        live.Add(w.CreateNewTrial(study));
                        break;
                    case 2:
                        live.Add(w.CreateNewTrial(study, new FrozenTrial { State = TrialState.Waiting }));
                        break;
                    case 3:
                        if (w.ClaimWaitingTrial(study) is { } claimed) w.SetTrialUserAttr(claimed, "claimed", true);
                        break;
                    case 4 when live.Count > 0:
                    {
                        int id = live[rng.Next(live.Count)];
                        if (w.GetTrial(id).State == TrialState.Running)
                        {
                            w.SetTrialParam(id, "x", rng.NextDouble(), dist);
                            w.SetTrialIntermediateValue(id, rng.Next(3), rng.NextDouble());
                        }
                        break;
                    }
                    case 5 or 6 when live.Count > 0:
                    {
                        int id = live[rng.Next(live.Count)];
                        if (w.GetTrial(id).State != TrialState.Running) break;
                        TrialState end = rng.Next(3) switch { 0 => TrialState.Fail, 1 => TrialState.Pruned, _ => TrialState.Complete };
                        w.SetTrialStateValues(id, end, end == TrialState.Complete ? [rng.NextDouble()] : null);
                        live.Remove(id);
                        break;
                    }
                }
                if (rng.Next(3) == 0)
                {
                    Assert.Equal(Describe(plain.GetAllTrials(study)), Describe(cached.GetAllTrials(study)));
                    TrialState[] states = [TrialState.Complete, TrialState.Running];
                    Assert.Equal(Describe(plain.GetAllTrials(study, states)), Describe(cached.GetAllTrials(study, states)));
                }
            }
            Assert.Equal(Describe(plain.GetAllTrials(study)), Describe(cached.GetAllTrials(study)));
            Assert.Equal(Describe(plain.GetAllTrials(study)), Describe(otherWriter.GetAllTrials(study)));
            foreach (FrozenTrial t in plain.GetAllTrials(study))
                Assert.Equal(Describe([t]), Describe([cached.GetTrial(t.TrialId)]));

            // The param's distribution known from cached trials still guards against an incompatible one.
            int fresh = cached.CreateNewTrial(study);
            Assert.Throws<InvalidOperationException>(() => cached.SetTrialParam(fresh, "x", 1, new IntDistribution(0, 5)));
            cached.SetTrialParam(fresh, "x", 0.5, new FloatDistribution(0, 2)); // same kind: compatible, as in Optuna
        }
        finally
        {
            foreach (var s in storages) (s as IDisposable)?.Dispose();
        }
    }

    private static List<string> Describe(IEnumerable<FrozenTrial> trials) => trials.Select(t => string.Join(" ",
        t.TrialId, t.Number, t.State, t.DatetimeComplete?.ToString("O", CultureInfo.InvariantCulture),
        t.Values is null ? "-" : string.Join(",", t.Values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        string.Join(",", t.InternalParams.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value:R}")),
        string.Join(",", t.IntermediateValues.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value:R}")),
        string.Join(",", t.UserAttrs.Keys.Order()))).ToList();
}
