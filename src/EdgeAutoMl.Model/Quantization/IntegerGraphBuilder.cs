using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Quantization;

/// <summary>
/// Lowers a folded float graph + calibration ranges + a <see cref="QuantConfig"/> to an
/// <see cref="IntegerGraph"/> with the arithmetic of MODEL_FORMAT.md: per-channel weights,
/// int32 bias, (mult, shift) per channel, Relu fused into the clamp of the preceding layer.
/// </summary>
internal sealed class IntegerGraphBuilder
{
    private readonly Graph _g;
    private readonly IReadOnlyDictionary<string, TensorRange> _ranges;
    private readonly QuantConfig _config;
    private readonly List<QTensor> _tensors = [];
    private readonly Dictionary<string, int> _index = [];

    private IntegerGraphBuilder(Graph g, IReadOnlyDictionary<string, TensorRange> ranges, QuantConfig config)
    {
        _g = g;
        _ranges = ranges;
        _config = config;
    }

    public static IntegerGraph Build(Graph g, IReadOnlyDictionary<string, TensorRange> ranges, QuantConfig config) =>
        new IntegerGraphBuilder(g, ranges, config).Build();

    private IntegerGraph Build()
    {
        string input = _g.Inputs[0];
        int inIdx = AddTensor(input, Calibrated(input));
        var ops = new List<QOp>();
        var fused = new HashSet<Node>();
        foreach (var n in _g.Nodes)
        {
            if (fused.Contains(n)) continue;
            int x = _index.TryGetValue(n.Inputs[0], out var xi) ? xi
                : throw new ModelLoadException($"{n.Where}: input '{n.Inputs[0]}' is not an activation (constant inputs are not supported here)");
            switch (n.OpType)
            {
                case "Gemm":
                case "Conv":
                {
                    var relu = FusableRelu(n);
                    if (relu != null) fused.Add(relu);
                    ops.Add(Linear(n, x, relu?.Outputs[0] ?? n.Outputs[0], relu != null));
                    break;
                }
                case "Relu":
                {
                    var q = _tensors[x].Quant;
                    ops.Add(new QClamp { Source = n, Input = x, Output = AddTensor(n.Outputs[0], q), ActMin = Math.Max(q.ZeroPoint, -128), ActMax = 127 });
                    break;
                }
                case "MaxPool":
                {
                    if (n.GetInts("dilations") is { } d && d.Any(v => v != 1))
                        throw Unsupported(n, "dilated MaxPool is not in blob format 1");
                    var s = _g.ShapeOf(n.Inputs[0]);
                    var k = MaxPoolKernelShape(n);
                    var geo = SpatialGeometry.Resolve(n, s[2], s[3], k.h, k.w, allowCeilMode: true);
                    ops.Add(new QMaxPool { Source = n, Input = x, Output = AddTensor(n.Outputs[0], _tensors[x].Quant), Geometry = geo });
                    break;
                }
                case "GlobalAveragePool":
                {
                    var s = _g.ShapeOf(n.Inputs[0]);
                    if (s.Length != 4) throw Unsupported(n, "only 2-D (NCHW) GlobalAveragePool is in blob format 1");
                    var qin = _tensors[x].Quant;
                    var qout = Calibrated(n.Outputs[0]);
                    var (mult, shift) = MultiplierQuantizer.Quantize((double)qin.Scale / ((double)qout.Scale * s[2] * s[3]));
                    ops.Add(new QGlobalAvgPool { Source = n, Input = x, Output = AddTensor(n.Outputs[0], qout), Mult = mult, Shift = shift, ActMin = -128, ActMax = 127 });
                    break;
                }
                case "Flatten":
                case "Reshape":
                    ops.Add(new QReshape { Source = n, Input = x, Output = AddTensor(n.Outputs[0], _tensors[x].Quant) });
                    break;
                default:
                    throw Unsupported(n, n.OpType is "Add" or "MatMul"
                        ? "only as a linear layer with constant weights (MatMul + constant Add)"
                        : n.OpType == "BatchNormalization" ? "a BatchNormalization that does not follow a Conv/Gemm cannot be folded" : null);
            }
        }
        string output = _g.Outputs[0];
        if (!_index.TryGetValue(output, out var outIdx)) throw new ModelLoadException($"{_g.Source}: output '{output}' is not produced by a quantized op");
        return new IntegerGraph { Tensors = _tensors, Ops = ops, Input = inIdx, Output = outIdx };
    }

    private static (int h, int w) MaxPoolKernelShape(Node n)
    {
        var ks = n.GetInts("kernel_shape")!;
        return ((int)ks[0], (int)ks[1]);
    }

    private Node? FusableRelu(Node n)
    {
        string y = n.Outputs[0];
        if (_g.Outputs.Contains(y)) return null;
        var users = _g.Consumers(y).ToList();
        return users.Count == 1 && users[0].OpType == "Relu" ? users[0] : null;
    }

    private QLinearOp Linear(Node n, int x, string outName, bool relu)
    {
        var w = _g.Initializers.TryGetValue(n.Inputs[1], out var wi) ? wi
            : throw Unsupported(n, "weights must be a constant initializer");
        int bits = _config.BitsFor(n.Name);
        int channels = w.Shape[0];
        var qw = WeightQuantizer.Quantize(w.Data, channels, bits, _config.WeightScale);
        var bias = n.Input(2) is { } bn && _g.Initializers.TryGetValue(bn, out var bi) ? bi.Data : new float[channels];
        var qin = _tensors[x].Quant;
        var qout = Calibrated(outName);
        var qb = new int[channels];
        var mult = new int[channels];
        var shift = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            // The bias scale is the float32 product, as the QDQ model's bias DequantizeLinear sees it.
            float biasScale = qin.Scale * qw.Scales[c];
            qb[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)biasScale, MidpointRounding.AwayFromZero), int.MinValue, int.MaxValue);
            (mult[c], shift[c]) = MultiplierQuantizer.Quantize((double)qin.Scale * qw.Scales[c] / qout.Scale);
        }
        int outIdx = AddTensor(outName, qout);
        int actMin = relu ? Math.Max(qout.ZeroPoint, -128) : -128;
        if (n.OpType == "Gemm")
        {
            var a = _g.ShapeOf(n.Inputs[0]);
            if (a[0] != 1) throw Unsupported(n, $"input {ShapeMath.Format(a)}: only batch 1 is supported");
            return new QFullyConnected
            {
                Source = n, Input = x, Output = outIdx, Bits = bits, Channels = channels, RowLength = w.Shape[1],
                Weights = qw.Values, WeightScales = qw.Scales, Bias = qb, Mult = mult, Shift = shift,
                ActMin = actMin, ActMax = 127, FusedRelu = relu, WeightSquaredError = qw.SquaredError,
            };
        }
        var s = _g.ShapeOf(n.Inputs[0]);
        var geo = SpatialGeometry.Resolve(n, s[2], s[3], w.Shape[2], w.Shape[3], allowCeilMode: false);
        return new QConv2D
        {
            Source = n, Input = x, Output = outIdx, Bits = bits, Channels = channels, RowLength = w.Shape[1] * w.Shape[2] * w.Shape[3],
            Weights = qw.Values, WeightScales = qw.Scales, Bias = qb, Mult = mult, Shift = shift,
            ActMin = actMin, ActMax = 127, FusedRelu = relu, WeightSquaredError = qw.SquaredError,
            ChannelsPerGroup = w.Shape[1], Group = (int)n.GetInt("group", 1), Geometry = geo,
        };
    }

    private QuantParams Calibrated(string value) =>
        _ranges.TryGetValue(value, out var r) ? QuantParams.Int8FromRange(r.Min, r.Max)
            : throw new ModelLoadException($"{_g.Source}: no calibration range for '{value}'");

    private int AddTensor(string name, QuantParams q)
    {
        var shape = _g.ShapeOf(name);
        // Drop the batch dimension (always 1 here); a rank-1 tensor keeps its only dim.
        var dims = shape.Length > 1 && shape[0] == 1 ? shape[1..] : shape;
        if (dims.Length is < 1 or > 4) throw new ModelLoadException($"{_g.Source}: tensor '{name}' {ShapeMath.Format(shape)} has rank outside 1..4 after dropping the batch");
        if (dims.Any(d => d > ushort.MaxValue)) throw new ModelLoadException($"{_g.Source}: tensor '{name}' {ShapeMath.Format(shape)} has a dim above 65535");
        _tensors.Add(new QTensor { Name = name, Dims = dims, OnnxShape = shape, Quant = q });
        _index[name] = _tensors.Count - 1;
        return _tensors.Count - 1;
    }

    private static UnsupportedOperatorException Unsupported(Node n, string? detail) =>
        new(n.OpType, n.Name, PreparedModel.QuantizableOps, detail);
}
