using System.Diagnostics;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Packing;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Reference;
using Xunit.Abstractions;

namespace EdgeAutoMl.Model.Tests;

/// <summary>16-bit (symmetric int16) activations per layer: blob, engine, QDQ export, costs.</summary>
public class Int16ActivationTests(ITestOutputHelper output)
{
    private static QuantConfig All16(int weightBits = 8) => new() { DefaultWeightBits = weightBits, DefaultActivationBits = 16 };

    /// <summary>Every other activation point at 16 bits, starting at 16 or 8: each int8/int16 boundary both ways.</summary>
    private static QuantConfig Alternating(PreparedModel p, bool start16, int weightBits = 8) => new()
    {
        DefaultWeightBits = weightBits,
        ActivationBits = p.ActivationPoints.Select((n, i) => (n, bits: (i % 2 == 0) == start16 ? 16 : 8)).ToDictionary(t => t.n, t => t.bits),
    };

    private static PreparedModel Zoo()
    {
        var path = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(path, OpZooModel.Build());
        return PreparedModel.Prepare(OnnxModel.Load(path), OpZooModel.Samples(64, 1));
    }

    [Theory]
    [InlineData("digits-mlp")]
    [InlineData("digits-cnn")]
    public void Sixteen_bit_activations_track_float_closer_than_eight(string name)
    {
        var (graph, val, prepared) = SampleModels.Get(name);
        var xs = val.X.Take(200).ToList();
        var fl = xs.Select(x => FloatEngine.RunSample(graph, x)).ToArray();
        double Err(QuantizedModel q)
        {
            var e = IntegerEvaluator.Run(q, xs);
            return e.Select((o, i) => o.Zip(fl[i], (a, b) => Math.Abs(a - b)).Average()).Average();
        }
        var q8 = prepared.Quantize(QuantConfig.Uniform(8));
        var q16 = prepared.Quantize(All16());
        double e8 = Err(q8), e16 = Err(q16);
        double accF = FloatEvaluator.Accuracy(graph, val), acc16 = IntegerEvaluator.Accuracy(q16, val);
        output.WriteLine($"{name}: mean |engine − float| a8 {e8:G4}, a16 {e16:G4}; accuracy float {accF:F4}, a16/w8 {acc16:F4}");
        // With 8-bit weights the weight rounding remains; the activation part of the error must shrink.
        Assert.True(e16 < e8, $"16-bit activations ({e16}) are not closer to float than 8-bit ({e8})");
        Assert.InRange(acc16, accF - 0.01, 1.0);
    }

    [Fact]
    public void The_blob_carries_int16_tensors_and_costs_count_two_bytes()
    {
        var (_, _, prepared) = SampleModels.Get("digits-cnn");
        var q8 = prepared.Quantize(QuantConfig.Uniform(8));
        var q16 = prepared.Quantize(All16());
        var m = BlobReader.Read(q16.Blob);
        Assert.All(m.Tensors, t => { Assert.Equal(BlobFormat.DTypeInt16, t.DType); Assert.Equal(0, t.ZeroPoint); });
        Assert.Equal(2 * q8.InputBytes, q16.InputBytes);
        Assert.Equal(2 * q8.OutputBytes, q16.OutputBytes);
        // Same weights; the arena doubles (every live tensor is twice as large) and biases are i64.
        Assert.Equal(q8.Costs.WeightBytes, q16.Costs.WeightBytes);
        Assert.InRange(q16.Costs.RamBytes, 2 * q8.Costs.RamBytes - 8, 2 * q8.Costs.RamBytes + 8);
        int biasWords = q8.Graph.Ops.OfType<QLinearOp>().Sum(o => o.Channels);
        Assert.True(q16.Costs.FlashBytes >= q8.Costs.FlashBytes + 4 * biasWords, "int16-input biases are not i64");
        output.WriteLine($"digits-cnn w8: a8 flash {q8.Costs.FlashBytes} ram {q8.Costs.RamBytes}; a16 flash {q16.Costs.FlashBytes} ram {q16.Costs.RamBytes}");
    }

    [Fact]
    public void Mixed_boundaries_run_and_stay_accurate()
    {
        var (graph, val, prepared) = SampleModels.Get("digits-cnn");
        double accF = FloatEvaluator.Accuracy(graph, val);
        foreach (var start16 in new[] { true, false })
        {
            var q = prepared.Quantize(Alternating(prepared, start16));
            var dtypes = BlobReader.Read(q.Blob).Tensors.Select(t => t.DType).Distinct().ToList();
            Assert.Equal(2, dtypes.Count);
            double acc = IntegerEvaluator.Accuracy(q, val);
            output.WriteLine($"alternating from {(start16 ? 16 : 8)}: accuracy {acc:F4} (float {accF:F4})");
            Assert.InRange(acc, accF - 0.01, 1.0);
        }
    }

    /// <summary>
    /// ORT on the QDQ export (int16 through com.microsoft Q/DQ) against the engine, on every op
    /// of the zoo. The engine's int16 LUT interpolates and its int64 requantization uses a Q15
    /// multiplier, so against ORT's float math the logits differ by at most one int8 output step
    /// when the output is int8, and by a small fraction of the logit range when it is int16.
    /// </summary>
    [Theory]
    [InlineData("all16", 8)]
    [InlineData("all16", 4)]
    [InlineData("alt16", 8)]
    [InlineData("alt8", 8)]
    public void Ort_on_the_int16_qdq_export_agrees_with_the_engine(string config, int bits)
    {
        var p = Zoo();
        var q = p.Quantize(config switch { "all16" => All16(bits), "alt16" => Alternating(p, true, bits), _ => Alternating(p, false, bits) });
        var xs = OpZooModel.Samples(32, 3);
        var ort = OrtEvaluator.Run(q.ExportQdq(), xs, OpZooModel.InputShape);
        // The logit range an int8 output would have had: its step is the yardstick.
        float int8Step = QuantParams.Int8FromRange(p.Ranges[q.Graph.Tensors[q.Graph.Output].Name].Min, p.Ranges[q.Graph.Tensors[q.Graph.Output].Name].Max).Scale;
        double worst = 0;
        int argmaxSame = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            var mine = q.ApplyHostOps(q.DequantizeOutput(IntegerEngine.Run(q.Blob, q.QuantizeInput(xs[i]))));
            worst = Math.Max(worst, mine.Zip(ort[i], (a, b) => Math.Abs(a - b)).Max());
            if (Array.IndexOf(mine, mine.Max()) == Array.IndexOf(ort[i], ort[i].Max())) argmaxSame++;
        }
        output.WriteLine($"{config} w{bits}: worst |Δ softmax| {worst:G4}, int8 logit step {int8Step:G4}, output bits {q.OutputQuant.Bits}, argmax agree {argmaxSame}/{xs.Count}");
        Assert.True(worst <= int8Step / 2 + 1e-6, $"worst softmax difference {worst} exceeds one int8 logit step ({int8Step}) through the softmax");
        Assert.Equal(xs.Count, argmaxSame);
    }

    [PythonOnnxFact]
    public void Onnx_checker_accepts_the_int16_qdq_export()
    {
        var p = Zoo();
        foreach (var q in new[] { p.Quantize(All16()), p.Quantize(Alternating(p, true)) })
        {
            var path = TestPaths.TempFile(".onnx");
            File.WriteAllBytes(path, q.ExportQdq());
            var psi = new ProcessStartInfo(Requirements.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "-c", $"import onnx; m = onnx.load('{path}'); onnx.checker.check_model(m, full_check=True); " +
                                            "print(sorted((o.domain, o.version) for o in m.opset_import)); " +
                                            "print(sum(n.domain == 'com.microsoft' for n in m.graph.node))" })
                psi.ArgumentList.Add(a);
            using var proc = Process.Start(psi)!;
            string text = proc.StandardOutput.ReadToEnd() + proc.StandardError.ReadToEnd();
            proc.WaitForExit();
            output.WriteLine(text);
            Assert.True(proc.ExitCode == 0, $"onnx.checker refused {path}: {text}");
            Assert.Contains("('', 13), ('com.microsoft', 1)", text);
        }
    }

    [Fact]
    public void Int64_requantization_rounds_once_to_the_nearest()
    {
        var rng = new Random(16);
        for (int i = 0; i < 20000; i++)
        {
            double real = Math.Exp(rng.NextDouble() * 20 - 18); // 1.5e-8 .. 7.4
            var (mult, shift) = MultiplierQuantizer.Quantize(real);
            if (shift > 14) continue;
            long x = (long)((rng.NextDouble() * 2 - 1) * (1L << 40));
            int got = FixedPoint.Mbqm64(x, mult, shift);
            // Exact value with the Q15-reduced multiplier, then the rounding error of one step.
            double m15 = mult >= 0x7FFF0000 ? 0x7FFF : (mult + 32768L) >> 16;
            double exact = x * m15 * Math.Pow(2, shift - 15);
            if (Math.Abs(exact) > int.MaxValue) continue;
            Assert.True(Math.Abs(got - exact) <= 0.5 + 1e-9, $"x {x}, M {real}: {got} vs {exact}");
            // And the Q15 multiplier is within 2^-15 relative of M.
            Assert.True(Math.Abs(m15 * Math.Pow(2, shift - 15) - real) <= real * Math.Pow(2, -14), $"M {real}");
        }
    }

    [Fact]
    public void Activation_bits_are_validated_by_name_and_value()
    {
        var (_, _, prepared) = SampleModels.Get("digits-cnn");
        var e1 = Assert.Throws<ArgumentException>(() => prepared.Quantize(new QuantConfig { DefaultActivationBits = 12 }));
        Assert.Contains("8 or 16", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => prepared.Quantize(new QuantConfig { ActivationBits = new Dictionary<string, int> { ["nope"] = 16 } }));
        Assert.Contains("'nope'", e2.Message);
        Assert.Contains("/conv1/Conv", e2.Message);
    }

    [Fact]
    public void The_reader_refuses_an_int16_tensor_with_a_zero_point()
    {
        var q = SampleModels.Get("digits-mlp").prepared.Quantize(All16());
        var blob = (byte[])q.Blob.Clone();
        blob[BlobFormat.HeaderBytes + 10] = 1; // tensor 0's zero point
        var e = Assert.Throws<BlobFormatException>(() => BlobReader.Read(blob));
        Assert.Contains("int16 zero point", e.Message);
    }
}
