using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using Xunit.Abstractions;

namespace EdgeAutoMl.Model.Tests;

/// <summary>MSE calibration: the range search itself, and its accuracy on the sample models next to MinMax.</summary>
public class MseCalibrationTests(ITestOutputHelper output)
{
    private static double QuantMse(float[] values, TensorRange r)
    {
        var q = QuantParams.Int8FromRange(r.Min, r.Max);
        return values.Average(v => Math.Pow(v - q.Dequantize(q.Quantize(v)), 2));
    }

    [Fact]
    public void Uniform_values_keep_the_full_range()
    {
        // No outliers: clipping only adds error, so the search must stay at ratio 1.
        var v = Enumerable.Range(0, 10_000).Select(i => i / 9999f * 2 - 1).ToArray();
        var r = MseRangeSearch.Search([v]);
        Assert.Equal(-1f, r.Min, 3);
        Assert.Equal(1f, r.Max, 3);
    }

    [Fact]
    public void A_long_thin_tail_is_clipped_and_the_error_drops()
    {
        // Laplace(b = 1): the extremes are so rare that the levels they cost are worth more
        // spent on the bulk. (A single far outlier is not: at 8 bits its clipping error
        // outweighs the finer step, and MSE rightly keeps it.)
        var rng = new Random(3);
        var v = Enumerable.Range(0, 200_000).Select(_ =>
        {
            double u = rng.NextDouble() - 0.5;
            return (float)(-Math.Sign(u) * Math.Log(1 - 2 * Math.Abs(u)));
        }).ToArray();
        var minmax = new TensorRange(v.Min(), v.Max());
        var mse = MseRangeSearch.Search([v]);
        output.WriteLine($"minmax [{minmax.Min:G4}, {minmax.Max:G4}] mse {QuantMse(v, minmax):G4}; mse-calibrated [{mse.Min:G4}, {mse.Max:G4}] mse {QuantMse(v, mse):G4}");
        Assert.True(mse.Max < 0.95 * minmax.Max && mse.Min > 0.95 * minmax.Min, "the tails were not clipped");
        Assert.True(QuantMse(v, mse) < 0.9 * QuantMse(v, minmax));
    }

    [Fact]
    public void Its_grid_minimum_is_never_worse_than_min_max()
    {
        var rng = new Random(9);
        for (int t = 0; t < 20; t++)
        {
            var v = Enumerable.Range(0, 2000).Select(_ => (float)Math.Pow(rng.NextDouble(), 1 + t) * (t % 2 == 0 ? 5 : -3)).ToArray();
            var mse = MseRangeSearch.Search([v]);
            // Histogram-centre scoring is an approximation; allow a hair of slack against the exact error.
            Assert.True(QuantMse(v, mse) <= QuantMse(v, new TensorRange(v.Min(), v.Max())) * 1.02 + 1e-12, $"case {t}");
        }
    }

    [Fact]
    public void Calibrator_selects_mse()
    {
        var (graph, _, _) = SampleModels.Get("digits-mlp");
        var calib = Dataset.SplitSamples(NpyReader.ReadFloat32(TestPaths.Sample("digits-mlp.calib.x.npy")), "calib");
        var a = Calibrator.Collect(graph, calib, CalibrationMethod.MinMax);
        var b = Calibrator.Collect(graph, calib, CalibrationMethod.Mse);
        Assert.Equal(a.Keys.OrderBy(k => k), b.Keys.OrderBy(k => k));
        // Each MSE range lies inside the min/max range; the graph input's is the search over the samples themselves.
        foreach (var k in a.Keys) Assert.True(b[k].Min >= a[k].Min - 1e-6 && b[k].Max <= a[k].Max + 1e-6, k);
        Assert.Equal(MseRangeSearch.Search(calib), b[graph.Inputs[0]]);
    }

    /// <summary>The accuracy table of MSE vs MinMax calibration (printed); MSE must not lose more than a point.</summary>
    [Theory]
    [InlineData("digits-mlp")]
    [InlineData("digits-cnn")]
    public void Mse_calibration_accuracy_next_to_min_max(string name)
    {
        var g = OnnxModel.Load(TestPaths.Sample($"{name}.onnx"));
        var val = Dataset.Load(TestPaths.Sample($"{name}.val.x.npy"), TestPaths.Sample($"{name}.val.y.npy"));
        var calib = Dataset.SplitSamples(NpyReader.ReadFloat32(TestPaths.Sample($"{name}.calib.x.npy")), name);
        var minmax = PreparedModel.Prepare(g, calib, CalibrationMethod.MinMax);
        var mse = PreparedModel.Prepare(g, calib, CalibrationMethod.Mse);
        var pct = PreparedModel.Prepare(g, calib, CalibrationMethod.Percentile);
        output.WriteLine($"{name}: float {FloatEvaluator.Accuracy(g, val):F4}");
        output.WriteLine("bits | MinMax | Percentile | MSE");
        foreach (var bits in new[] { 8, 4 })
        {
            double a = IntegerEvaluator.Accuracy(minmax.Quantize(QuantConfig.Uniform(bits)), val);
            double p = IntegerEvaluator.Accuracy(pct.Quantize(QuantConfig.Uniform(bits)), val);
            double m = IntegerEvaluator.Accuracy(mse.Quantize(QuantConfig.Uniform(bits)), val);
            output.WriteLine($"{bits} | {a:F4} | {p:F4} | {m:F4}");
            Assert.InRange(m, a - 0.01, 1.0);
        }
    }
}
