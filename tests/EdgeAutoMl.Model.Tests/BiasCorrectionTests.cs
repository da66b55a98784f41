using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Reference;
using Xunit.Abstractions;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Bias correction: it re-centres the first conv's channels, and its accuracy effect on digits-cnn (printed).</summary>
public class BiasCorrectionTests(ITestOutputHelper output)
{
    private static List<float[]> Calib(string name) =>
        Dataset.SplitSamples(NpyReader.ReadFloat32(TestPaths.Sample($"{name}.calib.x.npy")), name).ToList();

    /// <summary>Sum over channels of |mean integer output − mean float output| of the first op (conv1 + Relu), on calibration data.</summary>
    private static double FirstLayerMeanError(PreparedModel prepared, QuantizedModel q, List<float[]> xs)
    {
        var first = q.Graph.Ops[0];
        var t = q.Graph.Tensors[first.Output];
        int channels = t.Dims[0], per = t.Elements / channels;
        var fl = new double[channels];
        var iq = new double[channels];
        var engine = new IntegerEngine(q.Blob);
        foreach (var x in xs)
        {
            FloatEngine.RunSample(prepared.Folded, x, (name, ft) =>
            {
                if (name != t.Name) return;
                for (int i = 0; i < ft.Data.Length; i++) fl[i / per] += ft.Data[i];
            });
            var bytes = engine.Trace(q.QuantizeInput(x))[0];
            for (int i = 0; i < bytes.Length; i++) iq[i / per] += t.Quant.Dequantize((sbyte)bytes[i]);
        }
        return fl.Zip(iq, (a, b) => Math.Abs(a - b) / (xs.Count * per)).Sum();
    }

    [Theory]
    [InlineData(3)]
    [InlineData(2)]
    public void It_brings_the_first_conv_channel_means_closer_to_float(int bits)
    {
        var (_, _, prepared) = SampleModels.Get("digits-cnn");
        var xs = Calib("digits-cnn");
        double off = FirstLayerMeanError(prepared, prepared.Quantize(new QuantConfig { DefaultWeightBits = bits, BiasCorrection = false }), xs);
        double on = FirstLayerMeanError(prepared, prepared.Quantize(new QuantConfig { DefaultWeightBits = bits, BiasCorrection = true }), xs);
        output.WriteLine($"{bits}-bit conv1: Σ|mean error| without {off:G4}, with bias correction {on:G4}");
        Assert.True(on < off, $"bias correction did not reduce the mean error ({on} vs {off})");
    }

    [Fact]
    public void It_leaves_every_layer_but_the_biases_unchanged()
    {
        var (_, _, prepared) = SampleModels.Get("digits-cnn");
        var a = prepared.Quantize(new QuantConfig { DefaultWeightBits = 3, BiasCorrection = false });
        var b = prepared.Quantize(new QuantConfig { DefaultWeightBits = 3, BiasCorrection = true });
        var la = a.Graph.Ops.OfType<QLinearOp>().ToList();
        var lb = b.Graph.Ops.OfType<QLinearOp>().ToList();
        Assert.Equal(la.Count, lb.Count);
        for (int i = 0; i < la.Count; i++)
        {
            Assert.Equal(la[i].Weights, lb[i].Weights);
            Assert.Equal(la[i].Mult, lb[i].Mult);
        }
        Assert.Contains(Enumerable.Range(0, la.Count), i => !la[i].Bias.SequenceEqual(lb[i].Bias));
    }

    [Fact]
    public void It_is_on_by_default_because_the_table_below_shows_it_helps() => Assert.True(QuantConfig.Uniform(4).BiasCorrection);

    /// <summary>The accuracy table (printed) that decided it is on by default.</summary>
    [Theory]
    [InlineData("digits-cnn")]
    [InlineData("digits-mlp")]
    public void Accuracy_with_and_without(string name)
    {
        var (graph, val, prepared) = SampleModels.Get(name);
        output.WriteLine($"{name} float {FloatEvaluator.Accuracy(graph, val):F4}");
        output.WriteLine("bits | without | with bias correction");
        foreach (var bits in new[] { 8, 4, 3, 2 })
        {
            double off = IntegerEvaluator.Accuracy(prepared.Quantize(new QuantConfig { DefaultWeightBits = bits, BiasCorrection = false }), val);
            double on = IntegerEvaluator.Accuracy(prepared.Quantize(new QuantConfig { DefaultWeightBits = bits, BiasCorrection = true }), val);
            output.WriteLine($"{bits} | {off:F4} | {on:F4}");
            // Not a promise that it always helps (the table is the result), but it must never wreck a model.
            Assert.InRange(on, off - 0.02, 1.0);
        }
    }
}
