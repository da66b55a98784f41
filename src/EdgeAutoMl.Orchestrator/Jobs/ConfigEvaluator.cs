using System.Security.Cryptography;
using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Measurement;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>Thrown when a configuration is ruled out by a rung (it does not fit, for example).</summary>
public sealed class RungStopException(Rung rung, string reason, TrialMetrics metrics) : Exception(reason)
{
    /// <summary>The rung that stopped it.</summary>
    public Rung Rung { get; } = rung;
    /// <summary>What was measured before it stopped.</summary>
    public TrialMetrics Metrics { get; } = metrics;
}

/// <summary>
/// Runs one quantization configuration up the fidelity ladder: static fit, accuracy (ONNX
/// Runtime on the QDQ model and the integer engine on the packed blob), then the device.
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
    public TrialMetrics Accuracy(QuantizedModel q, TrialMetrics m)
    {
        var val = bench.Validation;
        var ort = OrtEvaluator.Accuracy(q.ExportQdq(), val);
        var integer = IntegerEvaluator.Accuracy(q, val);
        return m with { Accuracy = ort, AccuracyInteger = integer };
    }

    /// <summary>
    /// Runs the packed model on the device: output bytes compared with the integer engine on
    /// <paramref name="samples"/> validation samples, then latency and energy.
    /// </summary>
    public async Task<(TrialMetrics Metrics, Rigs.TraceExcerpt Trace)> DeviceAsync(QuantizedModel q, TrialMetrics m, DeviceSession device,
        int? samples, int energyRuns, CancellationToken ct)
    {
        var val = bench.Validation;
        int n = Math.Min(samples ?? val.Count, val.Count);
        var engine = new IntegerEngine(q.Blob);
        var inputs = new List<byte[]>(n);
        var expected = new List<byte[]>(n);
        for (int i = 0; i < n; i++)
        {
            var input = q.QuantizeInput(val.X[i]);
            inputs.Add(input);
            expected.Add(engine.Run(input));
        }
        var d = await device.MeasureAsync(q.Blob, inputs, expected, energyRuns, ct);
        return (m with
        {
            Cycles = d.CyclesMean, LatencyMs = d.LatencyMs, EnergyUj = d.EnergyUj, EnergyStdUj = d.EnergyStdUj,
            DeviceMismatches = d.Mismatches, DeviceSamples = d.SamplesChecked, LostSamples = d.LostSamples,
        }, d.Trace);
    }
}
