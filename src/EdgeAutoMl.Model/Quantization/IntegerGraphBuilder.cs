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
    private readonly IReadOnlyDictionary<string, float[]>? _inputMeans;

    private IntegerGraphBuilder(Graph g, IReadOnlyDictionary<string, TensorRange> ranges, QuantConfig config, IReadOnlyDictionary<string, float[]>? inputMeans)
    {
        _g = g;
        _ranges = ranges;
        _config = config;
        _inputMeans = inputMeans;
    }

    /// <summary>Lowers <paramref name="g"/> with the calibrated <paramref name="ranges"/> and <paramref name="config"/>.</summary>
    /// <param name="g">Folded float graph.</param>
    /// <param name="ranges">Calibrated range per activation.</param>
    /// <param name="config">Bits and weight-scale method.</param>
    /// <param name="inputMeans">Mean float input of each Conv/Gemm (by value name); given, the biases are corrected (<see cref="BiasCorrection"/>).</param>
    public static IntegerGraph Build(Graph g, IReadOnlyDictionary<string, TensorRange> ranges, QuantConfig config,
                                     IReadOnlyDictionary<string, float[]>? inputMeans = null) =>
        new IntegerGraphBuilder(g, ranges, config, inputMeans).Build();

    private IntegerGraph Build()
    {
        string input = _g.Inputs[0];
        int inIdx = AddTensor(input, Calibrated(input, _config.ActivationBitsFor(input)));
        var ops = new List<QOp>();
        var fused = new HashSet<Node>();
        Node? hostSoftmax = null;
        foreach (var n in _g.Nodes)
        {
            if (fused.Contains(n)) continue;
            // The activation input: the first input that is a runtime value (Add/Mul may have a constant first).
            string? act = n.Inputs.FirstOrDefault(i => i.Length > 0 && _index.ContainsKey(i));
            int x = act != null ? _index[act]
                : throw new ModelLoadException($"{n.Where}: input '{n.Inputs[0]}' is not an activation (constant inputs are not supported here)");
            switch (n.OpType)
            {
                case "Gemm":
                case "Conv":
                {
                    var relu = FusableActivation(n);
                    if (relu != null) fused.Add(relu);
                    ops.Add(Linear(n, x, relu));
                    break;
                }
                case "Relu":
                case "Clip":
                {
                    // Standalone: a clamp in the input's quantization (CLAMP keeps it).
                    var q = _tensors[x].Quant;
                    var (lo, hi) = ActivationBounds(n);
                    ops.Add(new QClamp { Source = n, Input = x, Output = AddTensor(n.Outputs[0], q), ActMin = ClampBound(q, lo), ActMax = ClampBound(q, hi), ActivationRange = (lo, hi) });
                    break;
                }
                case "Add" when n.Inputs.All(i => _index.ContainsKey(i)):
                {
                    var relu = FusableActivation(n);
                    if (relu != null) fused.Add(relu);
                    ops.Add(ResidualAdd(n, _index[n.Inputs[0]], _index[n.Inputs[1]], relu));
                    break;
                }
                case "Add":
                case "Mul":
                {
                    string other = n.Inputs[0] == act ? n.Inputs[1] : n.Inputs[0];
                    if (!_g.Initializers.TryGetValue(other, out var c) || c.Data.Length != 1)
                        throw Unsupported(n, "only two activations, an activation and a scalar constant, or a per-channel constant on an NCHW activation "
                                             + "or right after a Conv/Gemm (other constant shapes are not supported)");
                    float k = c.Data[0];
                    ops.Add(Lut(n, x, n.OpType == "Add" ? v => v + k : v => v * k, k));
                    break;
                }
                case "Sigmoid":
                case "HardSigmoid":
                case "HardSwish":
                case "LeakyRelu":
                    ops.Add(Lut(n, x, OpRegistry.UnaryFunction(n)));
                    break;
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
                case "AveragePool":
                {
                    var s = _g.ShapeOf(n.Inputs[0]);
                    var k = MaxPoolKernelShape(n);
                    if (n.GetInt("ceil_mode", 0) != 0) throw Unsupported(n, "ceil_mode (windows past the padding) is not in blob format 1");
                    var geo = SpatialGeometry.Resolve(n, s[2], s[3], k.h, k.w, allowCeilMode: false);
                    if (geo.PadTop >= k.h || geo.PadLeft >= k.w || geo.PadBottom >= k.h || geo.PadRight >= k.w)
                        throw Unsupported(n, "a pad as large as the window");
                    // Output quantization = input's: an average stays inside the input's range (TFLite does the same).
                    ops.Add(new QAvgPool { Source = n, Input = x, Output = AddTensor(n.Outputs[0], _tensors[x].Quant), Geometry = geo,
                                           CountIncludePad = n.GetInt("count_include_pad", 0) != 0 });
                    break;
                }
                case "GlobalAveragePool":
                {
                    var s = _g.ShapeOf(n.Inputs[0]);
                    if (s.Length != 4) throw Unsupported(n, "only 2-D (NCHW) GlobalAveragePool is in blob format 1");
                    var qin = _tensors[x].Quant;
                    var qout = Calibrated(n.Outputs[0], ActBits(n));
                    var (mult, shift) = MultiplierQuantizer.Quantize((double)qin.Scale / ((double)qout.Scale * s[2] * s[3]));
                    ops.Add(new QGlobalAvgPool { Source = n, Input = x, Output = AddTensor(n.Outputs[0], qout), Mult = mult, Shift = shift, ActMin = qout.QMin, ActMax = qout.QMax });
                    break;
                }
                case "Flatten":
                case "Reshape":
                    ops.Add(new QReshape { Source = n, Input = x, Output = AddTensor(n.Outputs[0], _tensors[x].Quant) });
                    break;
                case "Transpose":
                {
                    var perm = Reference.Kernels.TransposeKernel.Perm(n, _g.ShapeOf(n.Inputs[0]).Length);
                    if (perm.Length < 2 || perm[0] != 0) throw Unsupported(n, "the batch axis must stay first");
                    var blob = perm[1..].Select(p => p - 1).Concat(Enumerable.Range(perm.Length - 1, 5 - perm.Length)).ToArray();
                    ops.Add(new QTranspose { Source = n, Input = x, Output = AddTensor(n.Outputs[0], _tensors[x].Quant), Perm = blob });
                    break;
                }
                case "Pad":
                    ops.Add(Pad(n, x));
                    break;
                case "Concat":
                    ops.Add(Concat(n));
                    break;
                case "Softmax" when _g.Outputs.Contains(n.Outputs[0]):
                    // Left to the host: monotonic, so top-1 needs none, and an int8 softmax would
                    // need a second LUT plus a division per row for no accuracy gain on the device.
                    hostSoftmax = n;
                    break;
                default:
                    throw Unsupported(n, n.OpType is "MatMul"
                        ? "only as a linear layer with constant weights (MatMul + constant Add)"
                        : n.OpType == "Softmax" ? "only as the graph's last op (it runs on the host)"
                        : n.OpType == "BatchNormalization" ? "a BatchNormalization that does not follow a Conv/Gemm cannot be folded" : null);
            }
        }
        string output = hostSoftmax?.Inputs[0] ?? _g.Outputs[0];
        if (!_index.TryGetValue(output, out var outIdx)) throw new ModelLoadException($"{_g.Source}: output '{output}' is not produced by a quantized op");
        return new IntegerGraph { Tensors = _tensors, Ops = ops, Input = inIdx, Output = outIdx, HostSoftmax = hostSoftmax,
                                  FormatVersion = _config.SingleRounding ? Packing.BlobFormat.Version : (ushort)1 };
    }

    private static (int h, int w) MaxPoolKernelShape(Node n)
    {
        var ks = n.GetInts("kernel_shape")!;
        return ((int)ks[0], (int)ks[1]);
    }

    /// <summary>A Relu or constant-bound Clip that is the only reader of <paramref name="n"/>'s output: it becomes the clamp.</summary>
    private Node? FusableActivation(Node n)
    {
        string y = n.Outputs[0];
        if (_g.Outputs.Contains(y)) return null;
        var users = _g.Consumers(y).ToList();
        return users.Count == 1 && users[0].OpType is "Relu" or "Clip" ? users[0] : null;
    }

    /// <summary>Float bounds of a Relu or Clip node.</summary>
    private (float lo, float hi) ActivationBounds(Node n) => n.OpType == "Relu" ? (0f, float.PositiveInfinity)
        : Reference.Kernels.ClipKernel.Bounds(n, Const(n, 1), Const(n, 2));

    private float[]? Const(Node n, int i) => n.Input(i) is { } name ? _g.Initializers[name].Data : null;

    /// <summary>A float bound as a clamp value in <paramref name="q"/> (±inf → the q range's limits).</summary>
    private static int ClampBound(QuantParams q, float v) =>
        float.IsNegativeInfinity(v) ? q.QMin : float.IsPositiveInfinity(v) ? q.QMax : q.Quantize(v);

    /// <summary>Activation bits of the output of <paramref name="n"/> (a node that sets a new quantization).</summary>
    private int ActBits(Node n) => _config.ActivationBitsFor(n.Name);

    /// <summary>The clamp range and output quantization of an op whose output may pass through a fused activation.</summary>
    private (string outName, int actMin, int actMax) FusedOutput(Node n, Node? act, QuantParams qout)
    {
        if (act == null) return (n.Outputs[0], qout.QMin, qout.QMax);
        var (lo, hi) = ActivationBounds(act);
        return (act.Outputs[0], ClampBound(qout, lo), ClampBound(qout, hi));
    }

    private QAdd ResidualAdd(Node n, int a, int b, Node? act)
    {
        var qa = _tensors[a].Quant;
        var qb = _tensors[b].Quant;
        // (x − zp)·2^left must stay inside int32: |x − zp| < 2^8 for int8, ≤ 2^15 for int16.
        int left = qa.Bits == 16 || qb.Bits == 16 ? 15 : 20;
        string outName = act?.Outputs[0] ?? n.Outputs[0];
        var qout = Calibrated(outName, ActBits(n));
        var (_, actMin, actMax) = FusedOutput(n, act, qout);
        if (_g.ShapeOf(n.Inputs[0]).SequenceEqual(_g.ShapeOf(n.Inputs[1])) is false)
            throw Unsupported(n, "broadcasting between two activations");
        // TFLite int8 Add: common scale 2·max(s1, s2), inputs shifted left by 20 bits first.
        double twiceMax = 2.0 * Math.Max(qa.Scale, qb.Scale);
        return new QAdd
        {
            Source = n, Input = a, ExtraInputs = [b], Output = AddTensor(outName, qout), LeftShift = left,
            In1 = MultiplierQuantizer.Quantize(qa.Scale / twiceMax), In2 = MultiplierQuantizer.Quantize(qb.Scale / twiceMax),
            Out = MultiplierQuantizer.Quantize(twiceMax / ((1 << left) * (double)qout.Scale)),
            ActMin = actMin, ActMax = actMax, FusedActivation = act, ActivationRange = act != null ? ActivationBounds(act) : null,
        };
    }

    /// <summary>
    /// Tabulates <paramref name="f"/> (float32 math, as the QDQ model runs it) over the 256 int8
    /// inputs, or for an int16 input at the 513 points q = 128·(i − 256) that the device interpolates between.
    /// </summary>
    private QLut Lut(Node n, int x, Func<float, float> f, float? constant = null)
    {
        var qin = _tensors[x].Quant;
        var qout = Calibrated(n.Outputs[0], ActBits(n));
        int[] table;
        if (qin.Bits == 16)
        {
            table = new int[Packing.BlobFormat.LutInt16Entries];
            for (int i = 0; i < table.Length; i++) table[i] = qout.Quantize(f(qin.Dequantize((i - 256) * 128)));
        }
        else
        {
            table = new int[256];
            for (int q = -128; q <= 127; q++) table[q + 128] = qout.Quantize(f(qin.Dequantize(q)));
        }
        return new QLut { Source = n, Input = x, Output = AddTensor(n.Outputs[0], qout), Table = table, Constant = constant };
    }

    private QPad Pad(Node n, int x)
    {
        var shape = _g.ShapeOf(n.Inputs[0]);
        int r = shape.Length;
        var padsInit = n.Input(1) is { } pn ? _g.Initializers[pn] : null;
        var (pads, value) = Reference.Kernels.PadKernel.Resolve(n, r, padsInit?.Int64 ?? padsInit?.Data.Select(v => (long)v).ToArray(),
            Const(n, 2), n.Input(1) != null);
        if (r < 2 || pads[0] != 0 || pads[r] != 0) throw Unsupported(n, "padding the batch axis");
        var begin = new int[4];
        var end = new int[4];
        for (int i = 1; i < r; i++) { begin[i - 1] = (int)pads[i]; end[i - 1] = (int)pads[r + i]; }
        var q = _tensors[x].Quant;
        return new QPad { Source = n, Input = x, Output = AddTensor(n.Outputs[0], q), Begin = begin, End = end, Value = q.Quantize(value) };
    }

    private QConcat Concat(Node n)
    {
        if (n.Inputs.Length is < 2 or > Packing.BlobFormat.MaxInputs) throw Unsupported(n, $"{n.Inputs.Length} inputs (blob format 1: 2..{Packing.BlobFormat.MaxInputs})");
        var ins = n.Inputs.Select(i => _index.TryGetValue(i, out var t) ? t : throw Unsupported(n, $"input '{i}' is a constant")).ToArray();
        int axis = Reference.Kernels.ConcatKernel.Axis(n, _g.ShapeOf(n.Inputs[0]).Length);
        if (axis == 0) throw Unsupported(n, "concatenating along the batch axis");
        var qout = Calibrated(n.Outputs[0], ActBits(n));
        var mq = ins.Select(i => MultiplierQuantizer.Quantize(_tensors[i].Quant.Scale / (double)qout.Scale)).ToArray();
        return new QConcat
        {
            Source = n, Input = ins[0], ExtraInputs = ins[1..], Output = AddTensor(n.Outputs[0], qout), Axis = axis - 1,
            Mult = mq.Select(m => m.mult).ToArray(), Shift = mq.Select(m => m.shift).ToArray(),
        };
    }

    private QLinearOp Linear(Node n, int x, Node? act)
    {
        string outName = act?.Outputs[0] ?? n.Outputs[0];
        bool relu = act != null;
        var w = _g.Initializers.TryGetValue(n.Inputs[1], out var wi) ? wi
            : throw Unsupported(n, "weights must be a constant initializer");
        int bits = _config.BitsFor(n.Name);
        int channels = w.Shape[0];
        var qw = WeightQuantizer.Quantize(w.Data, channels, bits, _config.WeightScale);
        var bias = n.Input(2) is { } bn && _g.Initializers.TryGetValue(bn, out var bi) ? bi.Data : new float[channels];
        if (_inputMeans != null && _inputMeans.TryGetValue(n.Inputs[0], out var mean))
        {
            var inShape = _g.ShapeOf(n.Inputs[0]);
            var delta = n.OpType == "Gemm"
                ? BiasCorrection.FullyConnected(w.Data, qw, channels, mean)
                : BiasCorrection.Conv(w.Data, qw, channels, w.Shape[1], (int)n.GetInt("group", 1),
                                      SpatialGeometry.Resolve(n, inShape[2], inShape[3], w.Shape[2], w.Shape[3], allowCeilMode: false), inShape[2], inShape[3], mean);
            bias = bias.Zip(delta, (b, d) => b + d).ToArray();
        }
        var qin = _tensors[x].Quant;
        var qout = Calibrated(outName, ActBits(n));
        var qb = new long[channels];
        var mult = new int[channels];
        var shift = new int[channels];
        for (int c = 0; c < channels; c++)
        {
            // The bias scale is the float32 product, as the QDQ model's bias DequantizeLinear sees it.
            float biasScale = qin.Scale * qw.Scales[c];
            // i32 for an int8 input; i64 for an int16 input (TFLite 16x8), kept within ±2^47 like the accumulator.
            double bq = Math.Round(bias[c] / (double)biasScale, MidpointRounding.AwayFromZero);
            qb[c] = qin.Bits == 16 ? (long)Math.Clamp(bq, -(double)(1L << 47), (double)(1L << 47)) : (long)Math.Clamp(bq, int.MinValue, int.MaxValue);
            (mult[c], shift[c]) = MultiplierQuantizer.Quantize((double)qin.Scale * qw.Scales[c] / qout.Scale);
        }
        int outIdx = AddTensor(outName, qout);
        var (_, actMin, actMax) = FusedOutput(n, act, qout);
        if (n.OpType == "Gemm")
        {
            var a = _g.ShapeOf(n.Inputs[0]);
            if (a[0] != 1) throw Unsupported(n, $"input {ShapeMath.Format(a)}: only batch 1 is supported");
            return new QFullyConnected
            {
                Source = n, Input = x, Output = outIdx, Bits = bits, Channels = channels, RowLength = w.Shape[1],
                Weights = qw.Values, WeightScales = qw.Scales, Bias = qb, Mult = mult, Shift = shift,
                ActMin = actMin, ActMax = actMax, FusedRelu = relu, FusedActivation = act, ActivationRange = act != null ? ActivationBounds(act) : null, WeightSquaredError = qw.SquaredError,
            };
        }
        var s = _g.ShapeOf(n.Inputs[0]);
        var geo = SpatialGeometry.Resolve(n, s[2], s[3], w.Shape[2], w.Shape[3], allowCeilMode: false);
        return new QConv2D
        {
            Source = n, Input = x, Output = outIdx, Bits = bits, Channels = channels, RowLength = w.Shape[1] * w.Shape[2] * w.Shape[3],
            Weights = qw.Values, WeightScales = qw.Scales, Bias = qb, Mult = mult, Shift = shift,
            ActMin = actMin, ActMax = actMax, FusedRelu = relu, FusedActivation = act, ActivationRange = act != null ? ActivationBounds(act) : null, WeightSquaredError = qw.SquaredError,
            ChannelsPerGroup = w.Shape[1], Group = (int)n.GetInt("group", 1), Geometry = geo,
        };
    }

    private QuantParams Calibrated(string value, int bits) =>
        _ranges.TryGetValue(value, out var r) ? QuantParams.FromRange(r.Min, r.Max, bits)
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
