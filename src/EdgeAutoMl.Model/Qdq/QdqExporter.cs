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
/// int16 activations use ONNX Runtime's <c>com.microsoft</c> QuantizeLinear/DequantizeLinear
/// (int16 since ORT 1.17) rather than opset 21: the graph stays at opset 13, which Debian's
/// onnx 1.12 checker (opsets ≤ 17) validates; the checker skips the custom-domain nodes.
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
                    if (lin.FusedRelu) Activation(g, lin.FusedActivation, lin.ActivationRange, $"{src.Name}/act", y, raw);
                    break;
                }
                case QAdd add:
                {
                    string y = add.FusedActivation != null ? $"{outT.Name}__preact" : raw;
                    g.Node.Add(Node("Add", src.Name, [x, current[add.ExtraInputs[0]]], [y]));
                    if (add.FusedActivation != null) Activation(g, add.FusedActivation, add.ActivationRange, $"{src.Name}/act", y, raw);
                    break;
                }
                case QLut lut:
                    ElementWise(g, src, lut.Constant, x, raw);
                    break;
                case QAvgPool ap:
                {
                    var geo = ap.Geometry;
                    g.Node.Add(Node("AveragePool", src.Name, [x], [raw], Ints("kernel_shape", [geo.KernelH, geo.KernelW]),
                        Ints("strides", [geo.StrideH, geo.StrideW]), Ints("pads", [geo.PadTop, geo.PadLeft, geo.PadBottom, geo.PadRight]),
                        Int("count_include_pad", ap.CountIncludePad ? 1 : 0)));
                    break;
                }
                case QTranspose tr:
                {
                    int r = outT.OnnxShape.Length;
                    g.Node.Add(Node("Transpose", src.Name, [x], [raw], Ints("perm", [0, .. tr.Perm.Take(r - 1).Select(p => (long)p + 1)])));
                    break;
                }
                case QPad pd:
                {
                    int r = outT.OnnxShape.Length;
                    long[] pads = [0, .. pd.Begin.Take(r - 1).Select(v => (long)v), 0, .. pd.End.Take(r - 1).Select(v => (long)v)];
                    var qin = ig.Tensors[op.Input].Quant;
                    g.Initializer.Add(Int64($"{src.Name}.pads", [pads.Length], pads));
                    // The constant as the device sees it: the int8 value dequantized.
                    g.Initializer.Add(Floats($"{src.Name}.value", [], [qin.Dequantize(pd.Value)]));
                    g.Node.Add(Node("Pad", src.Name, [x, $"{src.Name}.pads", $"{src.Name}.value"], [raw]));
                    break;
                }
                case QConcat cc:
                    g.Node.Add(Node("Concat", src.Name, [.. cc.AllInputs.Select(i => current[i])], [raw], Int("axis", cc.Axis + 1)));
                    break;
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
                case QClamp cl:
                    Activation(g, src, cl.ActivationRange, src.Name, x, raw);
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
            current[op.Output] = QuantDequant(g, raw, outT, op.Output == ig.Output && ig.HostSoftmax == null);
        }

        var o = ig.Tensors[ig.Output];
        if (ig.HostSoftmax is { } sm)
        {
            // The host applies it in float after dequantizing, exactly what ORT does here.
            g.Node.Add(Node("Softmax", sm.Name, [current[ig.Output]], [sm.Outputs[0]], Int("axis", sm.GetInt("axis", -1))));
            g.Output.Add(FloatValue(sm.Outputs[0], o.OnnxShape[1..]));
        }
        else g.Output.Add(FloatValue(o.Name, o.OnnxShape[1..]));
        var model0 = new ModelProto { IrVersion = 7, ProducerName = "EdgeAutoMl", ProducerVersion = "1", Graph = g };
        model0.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        if (ig.Tensors.Any(t => t.Quant.Bits == 16))
            model0.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        return model0;
    }

    /// <summary>Adds Q→DQ after float value <paramref name="value"/>; the DQ output takes the tensor's name when it is the graph output.</summary>
    private static string QuantDequant(GraphProto g, string value, QTensor t, bool isGraphOutput)
    {
        string s = $"{t.Name}__scale", z = $"{t.Name}__zp", q = $"{t.Name}__q";
        string dq = isGraphOutput ? t.Name : $"{t.Name}__dq";
        if (dq == value) throw new InvalidOperationException($"tensor '{t.Name}': QDQ names collide");
        g.Initializer.Add(Floats(s, [], [t.Quant.Scale]));
        if (t.Quant.Bits == 16)
        {
            // The zero point's type (int16) selects the quantized type of the com.microsoft ops.
            g.Initializer.Add(Int16(z, [], [(short)t.Quant.ZeroPoint]));
            var qn = Node("QuantizeLinear", $"{t.Name}/Q", [value, s, z], [q]);
            var dqn = Node("DequantizeLinear", $"{t.Name}/DQ", [q, s, z], [dq]);
            qn.Domain = dqn.Domain = MicrosoftDomain;
            g.Node.Add(qn);
            g.Node.Add(dqn);
            return dq;
        }
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
        if (lin.Bias.Any(v => v is < int.MinValue or > int.MaxValue))
        {
            // An int16-input bias past int32 (DequantizeLinear 13 has no int64): its float value.
            g.Initializer.Add(Floats($"{n}.b", [ch], lin.Bias.Select((v, c) => (float)(v * (double)biasScale[c])).ToArray()));
            return ($"{n}.w", $"{n}.b");
        }
        g.Initializer.Add(Int32($"{n}.b_q", [ch], lin.Bias.Select(v => (int)v).ToArray()));
        g.Initializer.Add(Floats($"{n}.b_scale", [ch], biasScale));
        g.Initializer.Add(Int32($"{n}.b_zp", [ch], new int[ch]));
        g.Node.Add(Node("DequantizeLinear", $"{n}/b_DQ", [$"{n}.b_q", $"{n}.b_scale", $"{n}.b_zp"], [$"{n}.b"], Int("axis", 0)));
        return ($"{n}.w", $"{n}.b");
    }

    /// <summary>A Relu, or a Clip with its bounds as constant inputs (opset 13 form).</summary>
    private static void Activation(GraphProto g, Graphs.Node? act, (float, float)? range, string name, string x, string y)
    {
        if (act is not { OpType: "Clip" })
        {
            g.Node.Add(Node("Relu", name, [x], [y]));
            return;
        }
        var bounds = range ?? throw new InvalidOperationException($"{act.Where}: Clip bounds were not resolved");
        g.Initializer.Add(Floats($"{name}.min", [], [bounds.Item1]));
        g.Initializer.Add(Floats($"{name}.max", [], [bounds.Item2]));
        g.Node.Add(Node("Clip", name, [x, $"{name}.min", $"{name}.max"], [y]));
    }

    /// <summary>The float op a LUT tabulates, written so that opset 13 has it (HardSwish is opset 14: x·HardSigmoid(x)).</summary>
    private static void ElementWise(GraphProto g, Graphs.Node src, float? constant, string x, string y)
    {
        switch (src.OpType)
        {
            case "Add" or "Mul":
                g.Initializer.Add(Floats($"{src.Name}.k", [], [constant ?? throw new InvalidOperationException($"{src.Where}: no constant")]));
                g.Node.Add(Node(src.OpType, src.Name, [x, $"{src.Name}.k"], [y]));
                break;
            case "Sigmoid":
                g.Node.Add(Node("Sigmoid", src.Name, [x], [y]));
                break;
            case "HardSigmoid":
                g.Node.Add(Node("HardSigmoid", src.Name, [x], [y], Float("alpha", src.GetFloat("alpha", 0.2f)), Float("beta", src.GetFloat("beta", 0.5f))));
                break;
            case "HardSwish":
                g.Node.Add(Node("HardSigmoid", $"{src.Name}/hsig", [x], [$"{y}__hsig"], Float("alpha", 1f / 6), Float("beta", 0.5f)));
                g.Node.Add(Node("Mul", src.Name, [x, $"{y}__hsig"], [y]));
                break;
            case "LeakyRelu":
                g.Node.Add(Node("LeakyRelu", src.Name, [x], [y], Float("alpha", src.GetFloat("alpha", 0.01f))));
                break;
            default:
                throw new InvalidOperationException($"no QDQ export for a LUT from {src.Where}");
        }
    }

    /// <summary>ONNX Runtime's contrib domain, home of the int16 QuantizeLinear/DequantizeLinear.</summary>
    public const string MicrosoftDomain = "com.microsoft";

    private static AttributeProto Float(string name, float v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    private static AttributeProto CopyAttr(string name, Graphs.AttributeValue a)
    {
        if (a.Int is { } i) return Int(name, i);
        if (a.Ints is { } v) return Ints(name, v);
        if (a.String is { } s) return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(s) };
        if (a.Float is { } f) return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = f };
        throw new InvalidOperationException($"attribute '{name}' cannot be copied");
    }
}
