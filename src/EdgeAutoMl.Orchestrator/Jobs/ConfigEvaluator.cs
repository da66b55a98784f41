using System.Security.Cryptography;
using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Measurement;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>Thrown when a configuration is ruled out by a rung (it does not fit, violates a constraint, or the pruner stops it).</summary>
public sealed class RungStopException(Rung rung, string reason, TrialMetrics metrics, string by = "constraint") : Exception(reason)
{
    /// <summary>The rung that stopped it.</summary>
    public Rung Rung { get; } = rung;
    /// <summary>What stopped it: "constraint" (a board budget or --constraint) or "pruner".</summary>
    public string By { get; } = by;
    /// <summary>What was measured before it stopped.</summary>
    public TrialMetrics Metrics { get; } = metrics;
}

/// <summary>
/// Runs one quantization configuration up the fidelity ladder: static fit, accuracy on a small
/// subset (ONNX Runtime), full accuracy (ONNX Runtime on the QDQ model and the integer engine on
/// the packed blob), then the device.
/// Each rung returns what it measured so the caller can store it before the next starts.
/// </summary>
public sealed class ConfigEvaluator(ModelWorkbench bench, BoardProfile board)
{

    /// <summary>Quantizes and packs; checks the board's flash and RAM budgets.</summary>
    public (QuantizedModel Model, TrialMetrics Metrics) Static(QuantConfig config)
    {
        var q = bench.Prepared.Quantize(config);
        var m = new TrialMetrics
        {
            FlashBytes = q.Costs.FlashBytes,
            RamBytes = q.Costs.RamBytes,
            WeightBytes = q.Costs.WeightBytes,
            BlobSha256 = Convert.ToHexStringLower(SHA256.HashData(q.Blob)),
        };
        if (m.FlashBytes > board.ModelFlashBytes)
            throw new RungStopException(Rung.Static, $"static: packed model {m.FlashBytes} B > board model flash {board.ModelFlashBytes} B", m);
        if (m.RamBytes > board.ArenaRamBytes)
            throw new RungStopException(Rung.Static, $"static: arena {m.RamBytes} B > board arena RAM {board.ArenaRamBytes} B", m);
        return (q, m);
    }

    /// <summary>Accuracy of the QDQ model in ONNX Runtime and of the integer engine.</summary>
    public TrialMetrics Accuracy(QuantizedModel q, TrialMetrics m) => AccuracyKeeping(q, m, 0).Metrics;

    /// <summary>
    /// The cheap accuracy rung: the QDQ model in ONNX Runtime on the first <paramref name="samples"/>
    /// validation samples only (with its per-class accuracies, for a class floor).
    /// </summary>
    public TrialMetrics SubsetAccuracy(QuantizedModel q, TrialMetrics m, int samples)
    {
        var val = bench.Validation;
        int n = Math.Min(samples, val.Count);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(samples), "subset accuracy needs at least one sample");
        var labels = val.Y.AsSpan(0, n).ToArray();
        var outs = OrtEvaluator.Run(q.ExportQdq(), val.X.Take(n).ToList(), val.SampleShape);
        var (acc, perClass) = ClassScores(outs, labels);
        return m with { SubsetAccuracy = acc, SubsetSamples = n, ClassAccuracies = perClass, ClassAccuracy = MinPresent(perClass) };
    }

    /// <summary>
    /// Accuracy in ONNX Runtime (with per-class accuracies) and of the integer engine on the full
    /// validation set. The integer engine's raw outputs of the first <paramref name="keep"/> samples
    /// are kept for the device rung, which compares the device's bytes with them, so it does not
    /// run the engine again (bounded: at most <see cref="MaxKeptBytes"/>; beyond that nothing is kept).
    /// </summary>
    public (TrialMetrics Metrics, DeviceReference? Reference) AccuracyKeeping(QuantizedModel q, TrialMetrics m, int keep)
    {
        var val = bench.Validation;
        var (ort, perClass) = ClassScores(OrtEvaluator.Run(q.ExportQdq(), val.X, val.SampleShape), val.Y);
        keep = Math.Clamp(keep, 0, val.Count);
        if ((long)keep * (q.InputBytes + q.OutputBytes) > MaxKeptBytes) keep = 0;
        var engine = new IntegerEngine(q.Blob);
        var outs = new float[val.Count][];
        var inputs = new byte[keep][];
        var raw = new byte[keep][];
        Parallel.For(0, val.Count, i =>
        {
            var input = q.QuantizeInput(val.X[i]);
            var output = engine.Run(input);
            if (i < keep) { inputs[i] = input; raw[i] = output; }
            outs[i] = q.DequantizeOutput(output);
        });
        double integer = Metrics.Top1(outs, val.Y);
        var metrics = m with { Accuracy = ort, AccuracyInteger = integer, ClassAccuracies = perClass, ClassAccuracy = MinPresent(perClass) };
        return (metrics, keep > 0 ? new DeviceReference(q.Blob, inputs, raw) : null);
    }

    /// <summary>Most bytes of inputs and expected outputs kept from the accuracy rung for the device rung (per trial).</summary>
    public const long MaxKeptBytes = 16L << 20;

    /// <summary>Top-1 accuracy and per-class accuracy (recall; NaN for a class with no sample).</summary>
    public static (double Accuracy, double[] PerClass) ClassScores(IReadOnlyList<float[]> outputs, IReadOnlyList<int> labels)
    {
        if (outputs.Count != labels.Count) throw new ArgumentException($"{outputs.Count} outputs for {labels.Count} labels");
        if (outputs.Count == 0) throw new ArgumentException("accuracy of an empty data set is undefined");
        int classes = Math.Max(labels.Max() + 1, outputs[0].Length);
        var right = new int[classes];
        var seen = new int[classes];
        int correct = 0;
        for (int i = 0; i < outputs.Count; i++)
        {
            seen[labels[i]]++;
            if (Metrics.ArgMax(outputs[i]) == labels[i]) { right[labels[i]]++; correct++; }
        }
        var perClass = new double[classes];
        for (int c = 0; c < classes; c++) perClass[c] = seen[c] == 0 ? double.NaN : (double)right[c] / seen[c];
        return ((double)correct / outputs.Count, perClass);
    }

    /// <summary>Samples of each class in the first <paramref name="n"/> validation samples (all when null).</summary>
    public int[] ClassCounts(int? n = null)
    {
        var y = bench.Validation.Y;
        int take = Math.Min(n ?? y.Length, y.Length);
        var counts = new int[y.Length == 0 ? 0 : y.Max() + 1];
        for (int i = 0; i < take; i++) counts[y[i]]++;
        return counts;
    }

    private static double? MinPresent(double[] perClass)
    {
        double min = double.PositiveInfinity;
        foreach (var v in perClass) if (!double.IsNaN(v) && v < min) min = v;
        return double.IsPositiveInfinity(min) ? null : min;
    }

    /// <summary>
    /// Runs the packed model on the device: output bytes compared with the integer engine on
    /// <paramref name="samples"/> validation samples, then latency and energy.
    /// </summary>
    public Task<(TrialMetrics Metrics, Rigs.TraceExcerpt Trace)> DeviceAsync(QuantizedModel q, TrialMetrics m, DeviceSession device,
        int? samples, int energyRuns, CancellationToken ct) => DeviceAsync(q, m, device, samples, energyRuns, null, ct);

    /// <summary>
    /// As <see cref="DeviceAsync(QuantizedModel, TrialMetrics, DeviceSession, int?, int, CancellationToken)"/>, reusing the
    /// integer engine outputs kept by <see cref="AccuracyKeeping"/> when they cover the samples asked for.
    /// </summary>
    public async Task<(TrialMetrics Metrics, Rigs.TraceExcerpt Trace)> DeviceAsync(QuantizedModel q, TrialMetrics m, DeviceSession device,
        int? samples, int energyRuns, DeviceReference? reference, CancellationToken ct)
    {
        var val = bench.Validation;
        int n = Math.Min(samples ?? val.Count, val.Count);
        IReadOnlyList<byte[]> inputs, expected;
        if (reference is not null && reference.Covers(q.Blob, n))
        {
            inputs = reference.Inputs.Take(n).ToList();
            expected = reference.Expected.Take(n).ToList();
            Interlocked.Increment(ref _reused);
        }
        else
        {
            var engine = new IntegerEngine(q.Blob);
            var ins = new List<byte[]>(n);
            var exp = new List<byte[]>(n);
            for (int i = 0; i < n; i++)
            {
                var input = q.QuantizeInput(val.X[i]);
                ins.Add(input);
                exp.Add(engine.Run(input));
            }
            (inputs, expected) = (ins, exp);
        }
        var d = await device.MeasureAsync(q.Blob, inputs, expected, energyRuns, ct);
        return (m with
        {
            Cycles = d.CyclesMean, LatencyMs = d.LatencyMs, EnergyUj = d.EnergyUj, EnergyStdUj = d.EnergyStdUj,
            DeviceMismatches = d.Mismatches, DeviceSamples = d.SamplesChecked, LostSamples = d.LostSamples,
        }, d.Trace);
    }

    private int _reused;
    /// <summary>Device measurements that reused the accuracy rung's integer engine outputs instead of recomputing them.</summary>
    public int ReusedReferences => Volatile.Read(ref _reused);
}

/// <summary>
/// The integer engine's quantized inputs and raw output bytes for the first validation samples of
/// one packed blob, computed in the accuracy rung and handed to the device rung.
/// </summary>
public sealed class DeviceReference(byte[] blob, IReadOnlyList<byte[]> inputs, IReadOnlyList<byte[]> expected)
{
    /// <summary>Quantized inputs, one per sample.</summary>
    public IReadOnlyList<byte[]> Inputs { get; } = inputs;
    /// <summary>The integer engine's output bytes, one per sample.</summary>
    public IReadOnlyList<byte[]> Expected { get; } = expected;

    /// <summary>True when these are the outputs of <paramref name="blobToRun"/> for at least <paramref name="n"/> samples.</summary>
    public bool Covers(byte[] blobToRun, int n) => Expected.Count >= n && ReferenceEquals(blob, blobToRun);
}
