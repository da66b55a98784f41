using EdgeAutoMl.Model.Graphs;
using Google.Protobuf;
using Onnx;

namespace EdgeAutoMl.Model.Onnx;

/// <summary>Loads ONNX files into our <see cref="Graph"/> IR.</summary>
public static class OnnxModel
{
    /// <summary>
    /// Loads, validates and shape-infers a model. The batch dimension (a symbolic first dim)
    /// becomes 1; Identity and Dropout are removed. Throws <see cref="ModelLoadException"/>
    /// (or <see cref="UnsupportedOperatorException"/>) with the file and place at fault.
    /// </summary>
    public static Graph Load(string path)
    {
        if (!File.Exists(path)) throw new ModelLoadException($"{path}: file not found");
        return Load(File.ReadAllBytes(path), path);
    }

    /// <summary>Loads a model from bytes; <paramref name="source"/> names it in errors.</summary>
    public static Graph Load(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException($"{source}: not an ONNX model ({e.Message})", e);
        }
        if (model.Graph == null || model.IrVersion <= 0)
            throw new ModelLoadException($"{source}: not an ONNX model (no graph or IR version)");
        return FromProto(model, source);
    }

    /// <summary>Converts a parsed ModelProto.</summary>
    public static Graph FromProto(ModelProto model, string source)
    {
        var gp = model.Graph;
        var initializers = new Dictionary<string, Initializer>();
        foreach (var t in gp.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name)) throw new ModelLoadException($"{source}: an initializer has no name");
            initializers[t.Name] = TensorProtoConverter.ToInitializer(t, source);
        }
        if (gp.SparseInitializer.Count > 0) throw new ModelLoadException($"{source}: sparse initializers are not supported");

        var inputs = new List<string>();
        var shapes = new Dictionary<string, int[]>();
        foreach (var vi in gp.Input)
        {
            if (initializers.ContainsKey(vi.Name)) continue;
            inputs.Add(vi.Name);
            shapes[vi.Name] = InputShape(vi, source);
        }
        if (inputs.Count == 0) throw new ModelLoadException($"{source}: the graph has no runtime input");
        var outputs = gp.Output.Select(o => o.Name).ToList();
        if (outputs.Count == 0) throw new ModelLoadException($"{source}: the graph has no output");

        var nodes = new List<Node>();
        var names = new HashSet<string>();
        for (int i = 0; i < gp.Node.Count; i++)
        {
            var np = gp.Node[i];
            string name = string.IsNullOrEmpty(np.Name) ? $"#{i}:{np.OpType}" : np.Name;
            if (!names.Add(name)) name = $"{name}#{i}";
            if (np.Domain is not ("" or "ai.onnx"))
                throw new UnsupportedOperatorException($"{np.Domain}:{np.OpType}", name, Reference.OpRegistry.SupportedOps, "custom domain");
            nodes.Add(new Node(name, np.OpType, [.. np.Input], [.. np.Output], Attributes(np, name, source)));
        }
        var graph = new Graph(nodes, inputs, outputs, initializers, shapes, source);
        return GraphValidator.Validate(Transforms.RemoveIdentities(graph));
    }

    private static int[] InputShape(ValueInfoProto vi, string source)
    {
        string at = $"{source}: input '{vi.Name}'";
        var tt = vi.Type?.TensorType ?? throw new ModelLoadException($"{at} is not a tensor");
        if (tt.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new ModelLoadException($"{at} has element type {(TensorProto.Types.DataType)tt.ElemType}; only float32 inputs are supported");
        if (tt.Shape == null) throw new ModelLoadException($"{at} has no shape");
        var dims = new long[tt.Shape.Dim.Count];
        for (int d = 0; d < dims.Length; d++)
        {
            var dim = tt.Shape.Dim[d];
            bool known = dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue;
            if (known) dims[d] = dim.DimValue;
            else if (d == 0) dims[d] = 1; // the batch dimension: we run one sample at a time
            else throw new ModelLoadException($"{at}: dimension {d} ('{dim.DimParam}') is symbolic; only the batch (first) dimension may be");
        }
        GraphValidator.CheckShape(dims, at);
        return dims.Select(d => (int)d).ToArray();
    }

    private static Dictionary<string, AttributeValue> Attributes(NodeProto np, string nodeName, string source)
    {
        var d = new Dictionary<string, AttributeValue>();
        foreach (var a in np.Attribute)
        {
            d[a.Name] = a.Type switch
            {
                AttributeProto.Types.AttributeType.Int => new AttributeValue { Int = a.I },
                AttributeProto.Types.AttributeType.Float => new AttributeValue { Float = a.F },
                AttributeProto.Types.AttributeType.String => new AttributeValue { String = a.S.ToStringUtf8() },
                AttributeProto.Types.AttributeType.Ints => new AttributeValue { Ints = [.. a.Ints] },
                AttributeProto.Types.AttributeType.Floats => new AttributeValue { Floats = [.. a.Floats] },
                // Tensor/graph attributes belong to ops we do not support; keep an empty marker.
                _ => new AttributeValue(),
            };
        }
        return d;
    }
}
