using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Quantization;

/// <summary>
/// A model ready to be quantized many times: linear layers canonicalized, BN folded,
/// activation ranges calibrated once. <see cref="Quantize"/> is cheap and pure, so a search
/// can call it per trial.
/// </summary>
public sealed class PreparedModel
{
    /// <summary>Op types the integer path supports (after folding).</summary>
    public static IReadOnlyList<string> QuantizableOps { get; } =
        ["Add", "AveragePool", "BatchNormalization (folded)", "Clip", "Concat", "Conv", "Dropout", "Flatten", "Gemm", "GlobalAveragePool", "HardSigmoid",
         "HardSwish", "Identity", "LeakyRelu", "MatMul+Add", "MaxPool", "Mul/Add (scalar constant)", "Mul/Add (per-channel constant: folded into the Conv/Gemm before it, else a depthwise 1x1 Conv)", "Pad", "Relu", "Reshape", "Sigmoid", "Softmax (last op, on the host)", "Transpose"];

    private readonly Lazy<Dictionary<string, float[]>> _layerInputMeans;

    private PreparedModel(Graph original, Graph folded, Dictionary<string, TensorRange> ranges, List<LayerInfo> layers, IReadOnlyList<float[]> calibration)
    {
        Original = original;
        Folded = folded;
        Ranges = ranges;
        Layers = layers;
        // Only bias correction needs these; a search that never asks for it pays nothing.
        var inputs = folded.Nodes.Where(n => n.OpType is "Conv" or "Gemm").Select(n => n.Inputs[0]).Distinct().ToArray();
        _layerInputMeans = new Lazy<Dictionary<string, float[]>>(() => ActivationMeans.Collect(folded, calibration, inputs));
    }

    /// <summary>The graph as loaded.</summary>
    public Graph Original { get; }
    /// <summary>Canonical linear layers, BN folded: what is quantized.</summary>
    public Graph Folded { get; }
    /// <summary>Calibrated range of every activation of <see cref="Folded"/>.</summary>
    public IReadOnlyDictionary<string, TensorRange> Ranges { get; }
    /// <summary>
    /// Where activation bits (8/16) can be chosen: the graph input's value name, then every node
    /// (in execution order) whose output gets its own quantization — Conv, Gemm, Add, Mul,
    /// Sigmoid, HardSigmoid, HardSwish, LeakyRelu, GlobalAveragePool, Concat. Other ops keep
    /// their input's quantization, so they follow it.
    /// </summary>
    public IReadOnlyList<string> ActivationPoints =>
        [Folded.Inputs[0], .. Folded.Nodes.Where(n => n.OpType is "Conv" or "Gemm" or "Add" or "Mul" or "Sigmoid" or "HardSigmoid" or "HardSwish"
                                                      or "LeakyRelu" or "GlobalAveragePool" or "Concat").Select(n => n.Name)];

    /// <summary>Quantizable layers in execution order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Canonicalizes, folds and calibrates <paramref name="graph"/> on <paramref name="calibration"/> samples (each flattened, batch 1).</summary>
    public static PreparedModel Prepare(Graph graph, IReadOnlyList<float[]> calibration, CalibrationMethod method = CalibrationMethod.MinMax,
                                        double percentile = Calibrator.DefaultPercentile)
    {
        if (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)
            throw new ModelLoadException($"{graph.Source}: quantization needs exactly one input and one output (has {graph.Inputs.Count} and {graph.Outputs.Count})");
        var folded = AffineFolding.Fold(BatchNormFolding.Fold(LinearCanonicalizer.Canonicalize(graph)));
        var layers = new List<LayerInfo>();
        foreach (var n in folded.Nodes)
        {
            if (n.OpType is not ("Conv" or "Gemm")) continue;
            if (n.Input(1) is not { } wn || !folded.Initializers.TryGetValue(wn, out var w))
                throw new UnsupportedOperatorException(n.OpType, n.Name, QuantizableOps, "weights must be a constant initializer");
            var y = folded.ShapeOf(n.Outputs[0]);
            long perOutput = w.Data.Length / w.Shape[0];
            long outputs = ShapeMath.Count(y) / y[0];
            layers.Add(new LayerInfo(n.Name, n.OpType, w.Data.Length + w.Shape[0], outputs * perOutput));
        }
        var ranges = Calibrator.Collect(folded, calibration, method, percentile);
        var prepared = new PreparedModel(graph, folded, ranges, layers, calibration.ToArray());
        // Fail now, not in the first trial, when the graph cannot be lowered at all.
        IntegerGraphBuilder.Build(folded, ranges, QuantConfig.Uniform(8));
        return prepared;
    }

    /// <summary>Quantizes with <paramref name="config"/> and packs the blob.</summary>
    public QuantizedModel Quantize(QuantConfig config)
    {
        config.Validate(Layers.Select(l => l.Name).ToArray(), ActivationPoints.ToHashSet());
        var ig = IntegerGraphBuilder.Build(Folded, Ranges, config, config.BiasCorrection ? _layerInputMeans.Value : null);
        return new QuantizedModel(this, config, ig);
    }
}
