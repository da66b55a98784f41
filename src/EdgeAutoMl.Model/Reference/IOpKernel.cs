using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference;

/// <summary>
/// One operator of the float reference engine, TFLite-Micro style: a static "prepare" step
/// that validates attributes and infers output shapes, and an "eval" step.
/// </summary>
internal interface IOpKernel
{
    /// <summary>Validates the node and returns its output shapes; throws <see cref="ModelLoadException"/> or <see cref="UnsupportedOperatorException"/>.</summary>
    int[][] InferShapes(ShapeContext ctx);

    /// <summary>Computes the node's outputs (absent optional inputs are null).</summary>
    FloatTensor[] Run(Node node, FloatTensor?[] inputs);
}

/// <summary>What a kernel may see while inferring shapes.</summary>
internal sealed class ShapeContext
{
    public ShapeContext(Node node, int[]?[] inputShapes, IReadOnlyDictionary<string, Initializer> constants)
    {
        Node = node;
        InputShapes = inputShapes;
        Constants = constants;
    }

    public Node Node { get; }
    public int[]?[] InputShapes { get; }
    public IReadOnlyDictionary<string, Initializer> Constants { get; }

    /// <summary>Shape of a required input.</summary>
    public int[] Shape(int i) => i < InputShapes.Length && InputShapes[i] != null
        ? InputShapes[i]!
        : throw Error($"required input {i} is missing");

    /// <summary>Shape of an optional input, or null.</summary>
    public int[]? OptionalShape(int i) => i < InputShapes.Length ? InputShapes[i] : null;

    /// <summary>The constant behind input <paramref name="i"/>, or null when it is a runtime value.</summary>
    public Initializer? Constant(int i) => Node.Input(i) is { } n && Constants.TryGetValue(n, out var c) ? c : null;

    public ModelLoadException Error(string message) => new($"{Node.Where}: {message}");

    public UnsupportedOperatorException Unsupported(string detail) =>
        new(Node.OpType, Node.Name, OpRegistry.SupportedOps, detail);

    public void ExpectRank(int input, params int[] ranks)
    {
        var s = Shape(input);
        if (!ranks.Contains(s.Length))
            throw Error($"input {input} '{Node.Inputs[input]}' has shape {ShapeMath.Format(s)}; expected rank {string.Join(" or ", ranks)}");
    }

    public void ExpectOutputs(int max)
    {
        if (Node.Outputs.Length > max)
            throw Unsupported($"{Node.Outputs.Length} outputs (only the first {max} supported)");
    }
}
