using Google.Protobuf;
using Onnx;

namespace EdgeAutoMl.Model.Tests;

/// <summary>
/// One small ONNX graph (opset 13, batch N) that uses every op of issue 5, so each test runs
/// them all: depthwise Conv (auto_pad SAME_UPPER) + Clip(0,6) fused, 1x1 Conv + Relu fused,
/// Sigmoid and LeakyRelu branches joined by a residual Add, HardSigmoid, Mul by a scalar,
/// AveragePool (count_include_pad), Pad, a standalone Relu, Concat, Transpose, Identity on an
/// initializer, Flatten, Gemm and a trailing Softmax.
/// Shared with EdgeAutoMl.Orchestrator.Tests (linked), so it depends on nothing else.
/// </summary>
internal static class OpZooModel
{
    public static readonly int[] InputShape = [2, 6, 6];

    public static byte[] Build()
    {
        var g = new GraphProto { Name = "opzoo" };
        g.Input.Add(Value("x", -1, 2, 6, 6));
        g.Output.Add(Value("y", -1, 5));
        var rng = new Random(5);
        float[] R(int n, float s) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * s).ToArray();
        g.Initializer.Add(F("dw.W", [2, 1, 3, 3], R(18, 0.6f)));
        g.Initializer.Add(F("dw.B", [2], R(2, 0.2f)));
        g.Initializer.Add(F("pw.W", [4, 2, 1, 1], R(8, 0.8f)));
        g.Initializer.Add(F("pw.B", [4], R(4, 0.1f)));
        g.Initializer.Add(F("lo", [], [0f]));
        g.Initializer.Add(F("hi", [], [6f]));
        g.Initializer.Add(F("half", [], [0.5f]));
        g.Initializer.Add(I64("pads", [8], [0, 0, 1, 0, 0, 0, 0, 1]));
        g.Initializer.Add(F("fc.W0", [5, 200], R(1000, 0.2f)));
        g.Initializer.Add(F("fc.B", [5], R(5, 0.1f)));
        g.Node.Add(N("Identity", "id_w", ["fc.W0"], ["fc.W"]));
        g.Node.Add(N("Conv", "dw", ["x", "dw.W", "dw.B"], ["h1"], S("auto_pad", "SAME_UPPER"), I("group", 2), Is("kernel_shape", 3, 3)));
        g.Node.Add(N("Clip", "relu6", ["h1", "lo", "hi"], ["h2"]));
        g.Node.Add(N("Conv", "pw", ["h2", "pw.W", "pw.B"], ["h3"]));
        g.Node.Add(N("Relu", "pw_relu", ["h3"], ["h4"]));
        g.Node.Add(N("Sigmoid", "sig", ["h4"], ["s"]));
        g.Node.Add(N("LeakyRelu", "leaky", ["h4"], ["l"], Fl("alpha", 0.1f)));
        g.Node.Add(N("Add", "res", ["s", "l"], ["a"]));
        g.Node.Add(N("HardSigmoid", "hsig", ["a"], ["hs"]));
        g.Node.Add(N("Mul", "scale", ["hs", "half"], ["m"]));
        g.Node.Add(N("AveragePool", "avg", ["m"], ["p"], Is("kernel_shape", 2, 2), Is("strides", 2, 2), Is("pads", 1, 1, 1, 1), I("count_include_pad", 1)));
        g.Node.Add(N("Pad", "pad", ["p", "pads"], ["pp"]));
        g.Node.Add(N("Relu", "relu_b", ["pp"], ["rb"]));
        g.Node.Add(N("Concat", "cat", ["pp", "rb"], ["c"], I("axis", 1)));
        g.Node.Add(N("Transpose", "tr", ["c"], ["t"], Is("perm", 0, 1, 3, 2)));
        g.Node.Add(N("Flatten", "flat", ["t"], ["f"]));
        g.Node.Add(N("Gemm", "fc", ["f", "fc.W", "fc.B"], ["logits"], I("transB", 1)));
        g.Node.Add(N("Softmax", "sm", ["logits"], ["y"], I("axis", 1)));
        var m = new ModelProto { IrVersion = 7, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return m.ToByteArray();
    }

    /// <summary>Deterministic samples in [-1, 1].</summary>
    public static List<float[]> Samples(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 72).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray()).ToList();
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    private static TensorProto F(string name, long[] dims, float[] v)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(v);
        return t;
    }

    private static TensorProto I64(string name, long[] dims, long[] v)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.AddRange(dims);
        t.Int64Data.AddRange(v);
        return t;
    }

    private static NodeProto N(string op, string name, string[] ins, string[] outs, params AttributeProto[] attrs)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(ins);
        n.Output.AddRange(outs);
        n.Attribute.AddRange(attrs);
        return n;
    }

    private static AttributeProto I(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    private static AttributeProto Fl(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    private static AttributeProto S(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };

    private static AttributeProto Is(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
}
