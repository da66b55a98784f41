using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Reference;
using Google.Protobuf;
using Onnx;
using Xunit.Abstractions;
using static EdgeAutoMl.Model.Tests.OnnxBuilder;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Mul/Add by a per-channel constant: folded into the layer before it, or a depthwise 1x1 Conv.</summary>
public class PerChannelAffineTests(ITestOutputHelper output)
{
    private static readonly int[] InputShape = [2, 5, 5];

    private static float[] R(Random rng, int n, float s) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * s).ToArray();

    /// <summary>
    /// x → Conv(3) → Mul k[3,1,1] → Add a[1,3,1,1] (both fold into the conv) → Relu → Mul k2[3,1,1]
    /// (after a Relu: a depthwise conv, one k negative) → Add a2 (folds into that conv) → Flatten →
    /// Gemm → Mul k3[4] (folds into the Gemm).
    /// </summary>
    private static byte[] Model()
    {
        var rng = new Random(7);
        var g = new GraphProto { Name = "affine" };
        g.Input.Add(Value("x", -1, 2, 5, 5));
        g.Output.Add(Value("y", -1, 4));
        g.Initializer.Add(Floats("W", [3, 2, 3, 3], R(rng, 54, 0.5f)));
        g.Initializer.Add(Floats("B", [3], R(rng, 3, 0.1f)));
        g.Initializer.Add(Floats("k", [3, 1, 1], [1.5f, 0.5f, 2f]));
        g.Initializer.Add(Floats("a", [1, 3, 1, 1], [0.2f, -0.3f, 0.1f]));
        g.Initializer.Add(Floats("k2", [3, 1, 1], [0.7f, -1.2f, 0.9f]));
        g.Initializer.Add(Floats("a2", [3, 1, 1], [0.05f, 0.4f, -0.2f]));
        g.Initializer.Add(Floats("Wf", [4, 27], R(rng, 108, 0.3f)));
        g.Initializer.Add(Floats("k3", [4], [1.1f, 0.8f, -0.6f, 1.3f]));
        g.Node.Add(Node("Conv", "conv", ["x", "W", "B"], ["c"]));
        g.Node.Add(Node("Mul", "scale", ["c", "k"], ["s"]));
        g.Node.Add(Node("Add", "shift", ["a", "s"], ["t"]));
        g.Node.Add(Node("Relu", "relu", ["t"], ["r"]));
        g.Node.Add(Node("Mul", "scale2", ["r", "k2"], ["s2"]));
        g.Node.Add(Node("Add", "shift2", ["s2", "a2"], ["t2"]));
        g.Node.Add(Node("Flatten", "flat", ["t2"], ["f"]));
        var gemm = Node("Gemm", "fc", ["f", "Wf"], ["h"]);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        g.Node.Add(gemm);
        g.Node.Add(Node("Mul", "scale3", ["h", "k3"], ["y"]));
        return ModelOf(g).ToByteArray();
    }

    private static List<float[]> Samples(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => R(rng, 50, 1f)).ToList();
    }

    [Fact]
    public void Per_channel_constants_fold_or_become_a_depthwise_conv_and_the_integer_path_tracks_float()
    {
        var graph = OnnxModel.Load(Model(), "affine");
        var prepared = PreparedModel.Prepare(graph, Samples(64, 1));
        var ops = prepared.Folded.Nodes.Select(n => $"{n.OpType}:{n.Name}").ToList();
        output.WriteLine(string.Join(" ", ops));
        Assert.DoesNotContain(prepared.Folded.Nodes, n => n.OpType is "Mul" or "Add");
        // conv (Mul+Add folded), scale2 as a depthwise conv (Add folded into it), fc (Mul folded).
        Assert.Equal(["conv", "scale2", "fc"], prepared.Layers.Select(l => l.Name));
        var dw = prepared.Folded.Nodes.Single(n => n.Name == "scale2");
        Assert.Equal(3, dw.GetInt("group", 1));

        var xs = Samples(40, 2);
        // The rewrite itself is exact in float: the folded graph computes what the original does.
        double worstFold = xs.Max(x => FloatEngine.RunSample(prepared.Folded, x).Zip(FloatEngine.RunSample(graph, x), (a, b) => Math.Abs(a - b)).Max());
        output.WriteLine($"folded vs original float graph: worst |Δ| {worstFold:G3}");
        Assert.True(worstFold < 1e-4, $"folding changed the float outputs by {worstFold}");
        foreach (var (bits, act) in new[] { (8, 8), (4, 8), (8, 16) })
        {
            var q = prepared.Quantize(new QuantConfig { DefaultWeightBits = bits, DefaultActivationBits = act });
            var ort = OrtEvaluator.Run(q.ExportQdq(), xs, InputShape);
            double step = q.OutputQuant.Scale, worstFloat = 0, worstOrt = 0;
            for (int i = 0; i < xs.Count; i++)
            {
                var fl = FloatEngine.RunSample(graph, xs[i]);
                var mine = q.DequantizeOutput(IntegerEngine.Run(q.Blob, q.QuantizeInput(xs[i])));
                worstFloat = Math.Max(worstFloat, mine.Zip(fl, (a, b) => Math.Abs(a - b)).Max() / step);
                worstOrt = Math.Max(worstOrt, mine.Zip(ort[i], (a, b) => Math.Abs(a - b)).Max() / step);
            }
            output.WriteLine($"w{bits} a{act}: worst |engine − float| {worstFloat:F2} output steps, |engine − ORT QDQ| {worstOrt:F2} steps");
            if (act == 8) Assert.True(worstOrt <= 2 + 1e-3, $"engine vs ORT: {worstOrt} steps");
        }
    }

    [Fact]
    public void A_per_feature_constant_with_no_layer_to_fold_into_is_refused_by_name()
    {
        var g = new GraphProto { Name = "t" };
        g.Input.Add(Value("x", -1, 4));
        g.Output.Add(Value("y", -1, 4));
        g.Initializer.Add(Floats("k", [4], [1f, 2f, 3f, 4f]));
        g.Node.Add(Node("Relu", "relu", ["x"], ["r"]));
        g.Node.Add(Node("Mul", "scale", ["r", "k"], ["y"]));
        var graph = OnnxModel.Load(ModelOf(g).ToByteArray(), "t");
        var e = Assert.Throws<UnsupportedOperatorException>(() => PreparedModel.Prepare(graph, [[0.1f, 0.2f, -0.3f, 0.4f]]));
        output.WriteLine(e.Message);
        Assert.Equal("scale", e.NodeName);
        Assert.Contains("per-channel constant", e.Message);
        Assert.Contains("supported:", e.Message);
    }

    [Theory]
    [InlineData(new[] { 3, 1, 1 }, new[] { 1, 3, 4, 4 }, true)]
    [InlineData(new[] { 1, 3, 1, 1 }, new[] { 1, 3, 4, 4 }, true)]
    [InlineData(new[] { 3 }, new[] { 1, 3 }, true)]
    [InlineData(new[] { 3 }, new[] { 1, 3, 4, 4 }, false)]   // broadcasts over W, not channels
    [InlineData(new[] { 1 }, new[] { 1, 3, 4, 4 }, false)]   // scalar: the LUT path
    [InlineData(new[] { 3, 4, 1 }, new[] { 1, 3, 4, 4 }, false)]
    public void Per_channel_shapes_are_recognized(int[] k, int[] x, bool expected) =>
        Assert.Equal(expected, AffineFolding.PerChannel(k, x));
}
