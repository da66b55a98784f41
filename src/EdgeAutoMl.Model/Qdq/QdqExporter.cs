using EdgeAutoMl.Model.Quantization;
using Google.Protobuf;
using Onnx;
using static EdgeAutoMl.Model.Qdq.OnnxProtoBuilder;

namespace EdgeAutoMl.Model.Qdq;

/// <summary>
/// Writes a QDQ ONNX model (opset 13) equivalent to a <see cref="QuantizedModel"/>: every
/// activation passes QuantizeLinear→DequantizeLinear with its int8 scale/zero point, weights
/// are int8 initializers restricted to their b-bit range with per-channel scales (axis 0),
/// biases int32 with scale s_in·s_w. ONNX Runtime's accuracy on it is the packed model's.
/// </summary>
public static class QdqExporter
{
    /// <summary>Serialized ONNX bytes.</summary>
    public static byte[] Export(QuantizedModel model) => Build(model).ToByteArray();

    /// <summary>The ModelProto.</summary>
    public static ModelProto Build(QuantizedModel model)
    {
        var ig = model.Graph;
        var g = new GraphProto { Name = "edgeautoml_qdq" };
        var current = new string[ig.Tensors.Count]; // float (dequantized) value name per tensor
        var inT = ig.Tensors[ig.Input];
        g.Input.Add(FloatValue(inT.Name, inT.OnnxShape[1..]));
        current[ig.Input] = QuantDequant(g, inT.Name, inT, ig.Input == ig.Output);

        foreach (var op in ig.Ops)
        {
            var src = op.Source;
            string x = current[op.Input];
            var outT = ig.Tensors[op.Output];
            string raw = $"{outT.Name}__float";
            switch (op)
            {
                case QLinearOp lin:
                {
                    var (w, b) = LinearConstants(g, lin, ig.Tensors[op.Input].Quant.Scale);
                    string y = lin.FusedRelu ? $"{outT.Name}__prerelu" : raw;
                    if (lin is QConv2D cv)
                    {
                        var geo = cv.Geometry;
                        g.Node.Add(Node("Conv", src.Name, [x, w, b], [y],
                            Ints("kernel_shape", [geo.KernelH, geo.KernelW]), Ints("strides", [geo.StrideH, geo.StrideW]),
                            Ints("pads", [geo.PadTop, geo.PadLeft, geo.PadBottom, geo.PadRight]),
                            Ints("dilations", [geo.DilationH, geo.DilationW]), Int("group", cv.Group)));
                    }
                    else
                    {
                        g.Node.Add(Node("Gemm", src.Name, [x, w, b], [y], Int("transB", 1)));
                    }
                    if (lin.FusedRelu) g.Node.Add(Node("Relu", $"{src.Name}/relu", [y], [raw]));
                    break;
                }
                case QMaxPool mp:
                {
                    var node = Node("MaxPool", src.Name, [x], [raw]);
                    foreach (var name in new[] { "kernel_shape", "strides", "pads", "ceil_mode", "auto_pad", "dilations" })
                        if (src.Attributes.TryGetValue(name, out var a)) node.Attribute.Add(CopyAttr(name, a));
                    g.Node.Add(node);
                    break;
                }
                case QGlobalAvgPool:
                    g.Node.Add(Node("GlobalAveragePool", src.Name, [x], [raw]));
                    break;
                case QClamp:
                    g.Node.Add(Node("Relu", src.Name, [x], [raw]));
                    break;
                case QReshape:
                {
                    // Keep the batch dimension free so ORT can run batches.
                    string shapeName = $"{outT.Name}__shape";
                    long[] target = [-1, .. outT.OnnxShape[1..].Select(d => (long)d)];
                    g.Initializer.Add(Int64(shapeName, [target.Length], target));
                    g.Node.Add(Node("Reshape", src.Name, [x, shapeName], [raw]));
                    break;
                }
                default:
                    throw new InvalidOperationException($"no QDQ export for {op.GetType().Name}");
            }
            current[op.Output] = QuantDequant(g, raw, outT, op.Output == ig.Output);
        }

        var o = ig.Tensors[ig.Output];
        g.Output.Add(FloatValue(o.Name, o.OnnxShape[1..]));
        var model0 = new ModelProto { IrVersion = 7, ProducerName = "EdgeAutoMl", ProducerVersion = "1", Graph = g };
        model0.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model0;
    }

    /// <summary>Adds Q→DQ after float value <paramref name="value"/>; the DQ output takes the tensor's name when it is the graph output.</summary>
    private static string QuantDequant(GraphProto g, string value, QTensor t, bool isGraphOutput)
    {
        string s = $"{t.Name}__scale", z = $"{t.Name}__zp", q = $"{t.Name}__q";
        string dq = isGraphOutput ? t.Name : $"{t.Name}__dq";
        if (dq == value) throw new InvalidOperationException($"tensor '{t.Name}': QDQ names collide");
        g.Initializer.Add(Floats(s, [], [t.Quant.Scale]));
        g.Initializer.Add(Int8(z, [], [(sbyte)t.Quant.ZeroPoint]));
        g.Node.Add(Node("QuantizeLinear", $"{t.Name}/Q", [value, s, z], [q]));
        g.Node.Add(Node("DequantizeLinear", $"{t.Name}/DQ", [q, s, z], [dq]));
        return dq;
    }

    private static (string w, string b) LinearConstants(GraphProto g, QLinearOp lin, float inScale)
    {
        string n = lin.Source.Name;
        int ch = lin.Channels;
        long[] wDims = lin is QConv2D cv
            ? [ch, cv.ChannelsPerGroup, cv.Geometry.KernelH, cv.Geometry.KernelW]
            : [ch, lin.RowLength];
        g.Initializer.Add(Int8($"{n}.w_q", wDims, lin.Weights));
        g.Initializer.Add(Floats($"{n}.w_scale", [ch], lin.WeightScales));
        g.Initializer.Add(Int8($"{n}.w_zp", [ch], new sbyte[ch]));
        g.Node.Add(Node("DequantizeLinear", $"{n}/w_DQ", [$"{n}.w_q", $"{n}.w_scale", $"{n}.w_zp"], [$"{n}.w"], Int("axis", 0)));
        var biasScale = lin.WeightScales.Select(s => inScale * s).ToArray();
        g.Initializer.Add(Int32($"{n}.b_q", [ch], lin.Bias));
        g.Initializer.Add(Floats($"{n}.b_scale", [ch], biasScale));
        g.Initializer.Add(Int32($"{n}.b_zp", [ch], new int[ch]));
        g.Node.Add(Node("DequantizeLinear", $"{n}/b_DQ", [$"{n}.b_q", $"{n}.b_scale", $"{n}.b_zp"], [$"{n}.b"], Int("axis", 0)));
        return ($"{n}.w", $"{n}.b");
    }

    private static AttributeProto CopyAttr(string name, Graphs.AttributeValue a)
    {
        if (a.Int is { } i) return Int(name, i);
        if (a.Ints is { } v) return Ints(name, v);
        if (a.String is { } s) return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) };
        if (a.Float is { } f) return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f };
        throw new InvalidOperationException($"attribute '{name}' cannot be copied");
    }
}
