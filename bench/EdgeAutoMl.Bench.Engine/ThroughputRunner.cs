using System.Diagnostics;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Quantization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAutoMl.Bench.Engine;

/// <summary>Samples per second of one way of running the quantized model (median over rounds).</summary>
/// <param name="Name">What ran.</param>
/// <param name="SamplesPerSecond">Median throughput.</param>
/// <param name="Spread">(max − min) / median over the rounds, to show how steady the figure is.</param>
public sealed record Throughput(string Name, double SamplesPerSecond, double Spread);

/// <summary>
/// Runs the same samples through the C# integer engine (batch 1, float in → float out,
/// quantization included, as the QDQ model does it) and through ONNX Runtime on the QDQ
/// export (batch 1 and batched), round-robin so that machine noise hits all of them alike.
/// </summary>
public sealed class ThroughputRunner(QuantizedModel model, IReadOnlyList<float[]> samples, int[] sampleShape, int batch, double secondsPerRound)
{
    /// <summary>Measures each way <paramref name="rounds"/> times after one warm-up pass.</summary>
    public IReadOnlyList<Throughput> Measure(int rounds)
    {
        var engine = new IntegerEngine(model.Blob);
        // ORT as the product uses it for accuracy (ORT_ENABLE_BASIC, one intra-op thread): same
        // single core as the engine.
        using var options = OrtEvaluator.ReferenceOptions();
        using var session = new InferenceSession(model.ExportQdq(), options);
        string input = session.InputMetadata.Keys.Single();

        var ways = new (string name, Action run)[]
        {
            ("integer engine, batch 1", () => { foreach (var x in samples) model.DequantizeOutput(engine.Run(model.QuantizeInput(x))); }),
            ("ORT QDQ, batch 1", () => RunOrt(session, input, 1)),
            ($"ORT QDQ, batch {batch}", () => RunOrt(session, input, batch)),
        };
        var times = ways.Select(_ => new List<double>()).ToArray();
        // Warm-up long enough for tiered JIT to reach optimized code in every path.
        foreach (var w in ways) Timed(w.run);
        for (int r = 0; r < rounds; r++)
            for (int i = 0; i < ways.Length; i++)
                times[i].Add(Timed(ways[i].run));
        return ways.Select((w, i) =>
        {
            var t = times[i].Order().ToList();
            double median = t[t.Count / 2];
            return new Throughput(w.name, median, (t[^1] - t[0]) / median);
        }).ToList();
    }

    /// <summary>Repeats whole passes over the samples for at least secondsPerRound; returns samples/s.</summary>
    private double Timed(Action pass)
    {
        var sw = Stopwatch.StartNew();
        long n = 0;
        do
        {
            pass();
            n += samples.Count;
        } while (sw.Elapsed.TotalSeconds < secondsPerRound);
        return n / sw.Elapsed.TotalSeconds;
    }

    private void RunOrt(InferenceSession session, string input, int n)
    {
        int per = sampleShape.Aggregate(1, (a, b) => a * b);
        for (int start = 0; start < samples.Count; start += n)
        {
            int k = Math.Min(n, samples.Count - start);
            var data = new float[k * per];
            for (int i = 0; i < k; i++) samples[start + i].CopyTo(data, i * per);
            using var outs = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor<float>(data, [k, .. sampleShape]))]);
            _ = outs.First().AsTensor<float>().Length;
        }
    }
}
