using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using Google.Protobuf;
using Onnx;
using static EdgeAutoMl.Model.Tests.OnnxBuilder;

namespace EdgeAutoMl.Model.Tests;

public class OnnxLoaderTests
{
    [Fact]
    public void LoadsTheSampleCnnWithShapesAndBatchOne()
    {
        var g = OnnxModel.Load(TestPaths.Sample("digits-cnn.onnx"));
        Assert.Equal(new[] { 1, 1, 8, 8 }, g.ShapeOf("input"));
        Assert.Equal(new[] { 1, 10 }, g.ShapeOf("logits"));
        Assert.Equal(new[] { 1, 16, 4, 4 }, g.ShapeOf("/conv2/Conv_output_0"));
        Assert.Equal(10, g.Nodes.Count);
    }

    [Fact]
    public void UnsupportedOperatorNamesOpNodeAndSupportedList()
    {
        var e = Assert.Throws<UnsupportedOperatorException>(() => OnnxModel.Load(Save(GemmThen("Tanh"))));
        Assert.Equal("Tanh", e.OpType);
        Assert.Equal("after", e.NodeName);
        Assert.Contains("'Tanh'", e.Message);
        Assert.Contains("'after'", e.Message);
        Assert.Contains("Conv", e.Message);
        Assert.Contains("Gemm", e.Supported);
    }

    [Fact]
    public void IdentityAndDropoutAreRemoved()
    {
        var g = OnnxModel.Load(Save(GemmThen("Identity")));
        Assert.Equal(new[] { "Gemm" }, g.Nodes.Select(n => n.OpType));
        Assert.Equal("y", g.Nodes[0].Outputs[0]);
        g = OnnxModel.Load(Save(GemmThen("Dropout")));
        Assert.Single(g.Nodes);
    }

    [Fact]
    public void GemmWithTransAIsRefusedByName()
    {
        var m = GemmThen("Relu");
        m.Graph.Node[0].Attribute.Add(new AttributeProto { Name = "transA", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        var e = Assert.Throws<UnsupportedOperatorException>(() => OnnxModel.Load(Save(m)));
        Assert.Contains("transA", e.Message);
    }

    [Fact]
    public void MissingFileAndNonOnnxSayWhat()
    {
        Assert.Contains("file not found", Assert.Throws<ModelLoadException>(() => OnnxModel.Load("/nonexistent/m.onnx")).Message);
        var p = TestPaths.TempFile(".onnx");
        File.WriteAllText(p, "this is not a protobuf at all, just some text\n");
        Assert.Contains("not an ONNX model", Assert.Throws<ModelLoadException>(() => OnnxModel.Load(p)).Message);
        File.WriteAllBytes(p, []);
        Assert.Contains("not an ONNX model", Assert.Throws<ModelLoadException>(() => OnnxModel.Load(p)).Message);
    }

    [Fact]
    public void MissingInitializerIsNamed()
    {
        var m = GemmThen("Relu");
        m.Graph.Initializer.Clear();
        var e = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(Save(m)));
        Assert.Contains("'W'", e.Message);
        Assert.Contains("missing initializer", e.Message);
    }

    [Fact]
    public void CyclesAreDetected()
    {
        var g = new GraphProto();
        g.Input.Add(Value("x", -1, 4));
        g.Output.Add(Value("b", -1, 4));
        g.Node.Add(Node("Relu", "r1", ["b"], ["a"]));
        g.Node.Add(Node("Relu", "r2", ["a"], ["b"]));
        var e = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(Save(ModelOf(g))));
        Assert.Contains("cycle", e.Message);
    }

    [Theory]
    [InlineData(-3)]
    [InlineData(1L << 40)]
    public void HugeOrNegativeDimsAreRefused(long dim)
    {
        var m = GemmThen("Relu");
        m.Graph.Input[0] = Value("x", -1, dim);
        var e = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(Save(m)));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void ExternalDataIsRefused()
    {
        var m = GemmThen("Relu");
        var w = m.Graph.Initializer[0];
        w.FloatData.Clear();
        w.DataLocation = TensorProto.Types.DataLocation.External;
        w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var e = Assert.Throws<ModelLoadException>(() => OnnxModel.Load(Save(m)));
        Assert.Contains("external data", e.Message);
    }

    [Fact]
    public void InitializerDataMustMatchItsShape()
    {
        var m = GemmThen("Relu");
        m.Graph.Initializer[0].FloatData.RemoveAt(0);
        Assert.Contains("'W'", Assert.Throws<ModelLoadException>(() => OnnxModel.Load(Save(m))).Message);
    }

    /// <summary>
    /// Hundreds of random byte mutations and truncations of the sample models: loading must
    /// either succeed or throw our <see cref="ModelLoadException"/>, never anything else, never hang.
    /// </summary>
    [Theory]
    [InlineData("digits-mlp.onnx", 1)]
    [InlineData("digits-cnn.onnx", 2)]
    public void MutatedModelsNeverCrashTheLoader(string file, int seed)
    {
        var original = File.ReadAllBytes(TestPaths.Sample(file));
        var rng = new Random(seed);
        int ok = 0, refused = 0;
        var work = Task.Run(() =>
        {
            for (int i = 0; i < 400; i++)
            {
                var b = (byte[])original.Clone();
                switch (i % 4)
                {
                    case 0: b = b[..rng.Next(b.Length)]; break;
                    case 1: b[rng.Next(b.Length)] = (byte)rng.Next(256); break;
                    case 2:
                        for (int k = 0; k < 8; k++) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8));
                        break;
                    default:
                        // Mutate the structured head of the file (field tags and lengths) harder.
                        int at = rng.Next(Math.Min(b.Length, 400));
                        b[at] = (byte)rng.Next(256);
                        break;
                }
                try
                {
                    OnnxModel.Load(b, $"mutation {i}");
                    ok++;
                }
                catch (ModelLoadException)
                {
                    refused++;
                }
            }
        });
        Assert.True(work.Wait(TimeSpan.FromMinutes(5)), "the loader hung on a mutated model");
        Assert.Equal(400, ok + refused);
        Assert.True(refused > 0, "no mutation was refused: the mutations did nothing");
    }

    [Fact]
    public void ModelWithNoGraphIsNotOnnx()
    {
        var bytes = new ModelProto { IrVersion = 7 }.ToByteArray();
        Assert.Contains("not an ONNX model", Assert.Throws<ModelLoadException>(() => OnnxModel.Load(bytes, "mem")).Message);
    }
}
