using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Calibration;

/// <summary>Element-wise means of chosen activations over the calibration samples (float engine).</summary>
public static class ActivationMeans
{
    /// <summary>For each name in <paramref name="names"/>: the mean tensor (flattened, batch 1) over <paramref name="samples"/>.</summary>
    public static Dictionary<string, float[]> Collect(Graph graph, IReadOnlyList<float[]> samples, IReadOnlyCollection<string> names)
    {
        if (samples.Count == 0) throw new ArgumentException("calibration needs at least one sample");
        var wanted = names.ToHashSet();
        var sums = new Dictionary<string, double[]>();
        var gate = new object();
        Parallel.For(0, samples.Count, () => new Dictionary<string, double[]>(), (i, _, local) =>
        {
            FloatEngine.RunSample(graph, samples[i], (name, t) =>
            {
                if (!wanted.Contains(name)) return;
                if (!local.TryGetValue(name, out var acc)) local[name] = acc = new double[t.Data.Length];
                for (int j = 0; j < acc.Length; j++) acc[j] += t.Data[j];
            });
            return local;
        }, local =>
        {
            lock (gate)
                foreach (var (name, acc) in local)
                {
                    if (!sums.TryGetValue(name, out var total)) sums[name] = total = new double[acc.Length];
                    for (int j = 0; j < acc.Length; j++) total[j] += acc[j];
                }
        });
        return sums.ToDictionary(kv => kv.Key, kv => kv.Value.Select(v => (float)(v / samples.Count)).ToArray());
    }
}
