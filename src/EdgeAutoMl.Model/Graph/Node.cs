namespace EdgeAutoMl.Model.Graphs;

/// <summary>One operator in the graph. Absent optional inputs are empty strings, as in ONNX.</summary>
public sealed class Node
{
    /// <summary>Creates a node.</summary>
    public Node(string name, string opType, string[] inputs, string[] outputs, Dictionary<string, AttributeValue>? attributes = null)
    {
        Name = name;
        OpType = opType;
        Inputs = inputs;
        Outputs = outputs;
        Attributes = attributes ?? new Dictionary<string, AttributeValue>();
    }

    /// <summary>Node name (unique within the graph; synthesized when the file has none).</summary>
    public string Name { get; }
    /// <summary>ONNX operator type, e.g. "Conv".</summary>
    public string OpType { get; }
    /// <summary>Input value names ("" = absent optional input).</summary>
    public string[] Inputs { get; }
    /// <summary>Output value names.</summary>
    public string[] Outputs { get; }
    /// <summary>Attributes by name.</summary>
    public Dictionary<string, AttributeValue> Attributes { get; }

    /// <summary>Input <paramref name="i"/>, or null when absent.</summary>
    public string? Input(int i) => i < Inputs.Length && Inputs[i].Length > 0 ? Inputs[i] : null;

    /// <summary>An INT attribute or its default.</summary>
    public long GetInt(string name, long fallback) =>
        Attributes.TryGetValue(name, out var a) ? a.Int ?? throw BadAttr(name, "an int") : fallback;

    /// <summary>A FLOAT attribute or its default.</summary>
    public float GetFloat(string name, float fallback) =>
        Attributes.TryGetValue(name, out var a) ? a.Float ?? throw BadAttr(name, "a float") : fallback;

    /// <summary>A STRING attribute or its default.</summary>
    public string GetString(string name, string fallback) =>
        Attributes.TryGetValue(name, out var a) ? a.String ?? throw BadAttr(name, "a string") : fallback;

    /// <summary>An INTS attribute or null when absent.</summary>
    public long[]? GetInts(string name) =>
        Attributes.TryGetValue(name, out var a) ? a.Ints ?? throw BadAttr(name, "an int list") : null;

    /// <summary>"node 'name' (OpType)", for error messages.</summary>
    public string Where => $"node '{Name}' ({OpType})";

    private ModelLoadException BadAttr(string name, string kind) => new($"{Where}: attribute '{name}' must be {kind}");

    /// <summary>A copy with other inputs/outputs/attributes.</summary>
    public Node With(string[]? inputs = null, string[]? outputs = null, Dictionary<string, AttributeValue>? attributes = null) =>
        new(Name, OpType, inputs ?? (string[])Inputs.Clone(), outputs ?? (string[])Outputs.Clone(), attributes ?? new(Attributes));
}
