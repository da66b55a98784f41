namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// A model cannot be loaded or prepared: file missing, not ONNX, inconsistent graph, bad
/// shapes. The message says what and where (file, node, tensor).
/// </summary>
public class ModelLoadException : Exception
{
    /// <summary>Creates the exception with a message that names the place at fault.</summary>
    public ModelLoadException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>The model uses an operator (or an operator variant) that we do not support.</summary>
public sealed class UnsupportedOperatorException : ModelLoadException
{
    /// <summary>Creates the exception for op <paramref name="opType"/> at node <paramref name="nodeName"/>.</summary>
    public UnsupportedOperatorException(string opType, string nodeName, IEnumerable<string> supported, string? detail = null)
        : base($"unsupported operator '{opType}' at node '{nodeName}'{(detail == null ? "" : $": {detail}")}; supported: {string.Join(", ", supported)}")
    {
        OpType = opType;
        NodeName = nodeName;
        Supported = supported.ToArray();
    }

    /// <summary>The operator type, e.g. "Softmax".</summary>
    public string OpType { get; }
    /// <summary>The node's name (or a synthesized "#index" if it has none).</summary>
    public string NodeName { get; }
    /// <summary>The operators we support.</summary>
    public IReadOnlyList<string> Supported { get; }
}
