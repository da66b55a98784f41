using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference;

/// <summary>
/// Float32 reference interpreter over our <see cref="Graph"/> IR. Used for calibration, for
/// the float accuracy baseline and against the ONNX node conformance tests.
/// </summary>
public static class FloatEngine
{
    /// <summary>
    /// Runs the graph. <paramref name="inputs"/> maps runtime input names to tensors;
    /// <paramref name="observe"/>, when given, sees every value as it is produced (inputs included).
    /// Returns every graph output by name.
    /// </summary>
    public static Dictionary<string, FloatTensor> Run(Graph graph, IReadOnlyDictionary<string, FloatTensor> inputs,
                                                      Action<string, FloatTensor>? observe = null)
    {
        var values = new Dictionary<string, FloatTensor>();
        foreach (var (name, init) in graph.Initializers) values[name] = new FloatTensor(init.Shape, init.Data);
        foreach (var name in graph.Inputs)
        {
            if (!inputs.TryGetValue(name, out var t)) throw new ArgumentException($"{graph.Source}: no value given for input '{name}'");
            values[name] = t;
            observe?.Invoke(name, t);
        }
        foreach (var node in graph.Nodes)
        {
            var kernel = OpRegistry.Find(node.OpType)
                ?? throw new UnsupportedOperatorException(node.OpType, node.Name, OpRegistry.SupportedOps);
            var ins = new FloatTensor?[node.Inputs.Length];
            for (int i = 0; i < ins.Length; i++)
                if (node.Input(i) is { } n)
                    ins[i] = values.TryGetValue(n, out var v) ? v : throw new ModelLoadException($"{node.Where}: input '{n}' has no value");
            var outs = kernel.Run(node, ins);
            for (int i = 0; i < outs.Length && i < node.Outputs.Length; i++)
            {
                values[node.Outputs[i]] = outs[i];
                observe?.Invoke(node.Outputs[i], outs[i]);
            }
        }
        return graph.Outputs.ToDictionary(o => o, o => values[o]);
    }

    /// <summary>Runs a single-input, single-output graph on one sample (batch 1); returns the flattened output.</summary>
    public static float[] RunSample(Graph graph, float[] sample, Action<string, FloatTensor>? observe = null)
    {
        if (graph.Inputs.Count != 1 || graph.Outputs.Count != 1)
            throw new ArgumentException($"{graph.Source}: RunSample needs one input and one output, graph has {graph.Inputs.Count} and {graph.Outputs.Count}");
        var shape = graph.ShapeOf(graph.Inputs[0]);
        if (ShapeMath.Count(shape) != sample.Length)
            throw new ArgumentException($"sample has {sample.Length} values, input '{graph.Inputs[0]}' {ShapeMath.Format(shape)} needs {ShapeMath.Count(shape)}");
        var outs = Run(graph, new Dictionary<string, FloatTensor> { [graph.Inputs[0]] = new(shape, sample) }, observe);
        return outs[graph.Outputs[0]].Data;
    }
}
