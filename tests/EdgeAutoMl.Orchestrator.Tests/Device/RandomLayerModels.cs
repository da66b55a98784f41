using Google.Protobuf;
using Onnx;

namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>One random Conv layer: shapes, stride, pads, dilation, groups, weight bits, fused Relu.</summary>
public sealed record ConvCase(int Group, int ChannelsPerGroup, int OutPerGroup, int H, int W, int Kh, int Kw, int Stride, int PadT, int PadL,
                              int PadB, int PadR, int Dilation, int Bits, bool Relu, int Seed)
{
    /// <summary>Input channels.</summary>
    public int C => Group * ChannelsPerGroup;
    /// <summary>Output channels.</summary>
    public int M => Group * OutPerGroup;
    /// <summary>Output height and width (≥ 1 for a usable case).</summary>
    public (int oh, int ow) Out => ((H + PadT + PadB - Dilation * (Kh - 1) - 1) / Stride + 1, (W + PadL + PadR - Dilation * (Kw - 1) - 1) / Stride + 1);
    /// <summary>Whether the window fits the padded input at least once.</summary>
    public bool Valid => H + PadT + PadB >= Dilation * (Kh - 1) + 1 && W + PadL + PadR >= Dilation * (Kw - 1) + 1;
}

/// <summary>One random fully connected layer (Gemm, transB = 1).</summary>
public sealed record FcCase(int K, int N, int Bits, bool Relu, int Seed);

/// <summary>Builds single-layer ONNX models (opset 13, batch N) for the random-layer property tests.</summary>
internal static class RandomLayerModels
{
    public static byte[] Conv(ConvCase c)
    {
        var rng = new Random(c.Seed);
        var g = new GraphProto { Name = "conv" };
        g.Input.Add(Value("x", -1, c.C, c.H, c.W));
        var (oh, ow) = c.Out;
        g.Output.Add(Value("y", -1, c.M, oh, ow));
        g.Initializer.Add(Floats("W", [c.M, c.ChannelsPerGroup, c.Kh, c.Kw], Uniform(rng, c.M * c.ChannelsPerGroup * c.Kh * c.Kw, 0.7f)));
        g.Initializer.Add(Floats("B", [c.M], Uniform(rng, c.M, 0.3f)));
        var conv = Node("Conv", "conv", ["x", "W", "B"], [c.Relu ? "h" : "y"]);
        conv.Attribute.Add(Ints("kernel_shape", c.Kh, c.Kw));
        conv.Attribute.Add(Ints("strides", c.Stride, c.Stride));
        conv.Attribute.Add(Ints("pads", c.PadT, c.PadL, c.PadB, c.PadR));
        conv.Attribute.Add(Ints("dilations", c.Dilation, c.Dilation));
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = c.Group });
        g.Node.Add(conv);
        if (c.Relu) g.Node.Add(Node("Relu", "relu", ["h"], ["y"]));
        return ModelOf(g);
    }

    public static byte[] Fc(FcCase c)
    {
        var rng = new Random(c.Seed);
        var g = new GraphProto { Name = "fc" };
        g.Input.Add(Value("x", -1, c.K));
        g.Output.Add(Value("y", -1, c.N));
        g.Initializer.Add(Floats("W", [c.N, c.K], Uniform(rng, c.N * c.K, 0.5f)));
        g.Initializer.Add(Floats("B", [c.N], Uniform(rng, c.N, 0.3f)));
        var gemm = Node("Gemm", "fc", ["x", "W", "B"], [c.Relu ? "h" : "y"]);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        g.Node.Add(gemm);
        if (c.Relu) g.Node.Add(Node("Relu", "relu", ["h"], ["y"]));
        return ModelOf(g);
    }

    /// <summary>Samples in [-1, 1] of <paramref name="length"/> values.</summary>
    public static List<float[]> Samples(int count, int length, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Uniform(rng, length, 1f)).ToList();
    }

    private static float[] Uniform(Random rng, int n, float scale) =>
        Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1) * scale).ToArray();

    private static byte[] ModelOf(GraphProto g)
    {
        var m = new ModelProto { IrVersion = 7, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return m.ToByteArray();
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    private static TensorProto Floats(string name, long[] dims, float[] v)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(v);
        return t;
    }

    private static NodeProto Node(string op, string name, string[] ins, string[] outs)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(ins);
        n.Output.AddRange(outs);
        return n;
    }

    private static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(v);
        return a;
    }
}
