namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// Our small graph IR: nodes in topological order, constants as float arrays, and a static
/// shape for every value (batch dimension resolved to 1). It is what the loader produces and
/// what BN folding, calibration and quantization work on.
/// </summary>
public sealed class Graph
{
    /// <summary>Creates a graph; <see cref="GraphValidator"/> checks it and infers shapes.</summary>
    public Graph(List<Node> nodes, List<string> inputs, List<string> outputs,
                 Dictionary<string, Initializer> initializers, Dictionary<string, int[]> shapes, string source)
    {
        Nodes = nodes;
        Inputs = inputs;
        Outputs = outputs;
        Initializers = initializers;
        Shapes = shapes;
        Source = source;
    }

    /// <summary>Nodes in execution (topological) order.</summary>
    public List<Node> Nodes { get; }
    /// <summary>Runtime inputs (initializers excluded).</summary>
    public List<string> Inputs { get; }
    /// <summary>Graph outputs.</summary>
    public List<string> Outputs { get; }
    /// <summary>Constants by name.</summary>
    public Dictionary<string, Initializer> Initializers { get; }
    /// <summary>Static shape of every value (inputs, node outputs, initializers).</summary>
    public Dictionary<string, int[]> Shapes { get; }
    /// <summary>Where the graph came from (a file path), for error messages.</summary>
    public string Source { get; }

    /// <summary>The static shape of a value.</summary>
    public int[] ShapeOf(string value) =>
        Shapes.TryGetValue(value, out var s) ? s : throw new ModelLoadException($"{Source}: no shape known for value '{value}'");

    /// <summary>The node producing <paramref name="value"/>, or null for inputs and constants.</summary>
    public Node? Producer(string value) => Nodes.FirstOrDefault(n => n.Outputs.Contains(value));

    /// <summary>Nodes reading <paramref name="value"/>.</summary>
    public IEnumerable<Node> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    /// <summary>A deep-enough copy: node lists and dictionaries are new; arrays are shared (they are not mutated).</summary>
    public Graph Clone() => new(Nodes.Select(n => n.With()).ToList(), [.. Inputs], [.. Outputs],
        new(Initializers), new(Shapes), Source);
}
