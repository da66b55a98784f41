using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// Rewrites every linear layer with constant weights into one canonical Gemm:
/// inputs [A, W[N,K], bias[N]], transB=1, alpha=beta=1. MatMul(x, W) and a following
/// Add(constant) become such a Gemm. Later passes (BN folding, quantization) then only
/// handle one form.
/// </summary>
public static class LinearCanonicalizer
{
    /// <summary>Returns a rewritten copy of <paramref name="g"/>.</summary>
    public static Graph Canonicalize(Graph g)
    {
        var nodes = new List<Node>();
        var inits = new Dictionary<string, Initializer>(g.Initializers);
        var skip = new HashSet<Node>();
        foreach (var n in g.Nodes)
        {
            if (skip.Contains(n)) continue;
            if (n.OpType == "Gemm" && n.Input(1) is { } b && inits.TryGetValue(b, out var bw))
            {
                bool transB = n.GetInt("transB", 0) != 0;
                float alpha = n.GetFloat("alpha", 1f), beta = n.GetFloat("beta", 1f);
                var (w, nOut, k) = WeightRows(bw, transB, alpha);
                float[] bias = new float[nOut];
                if (n.Input(2) is { } c)
                {
                    if (!inits.TryGetValue(c, out var ci))
                        throw new UnsupportedOperatorException("Gemm", n.Name, OpRegistry.SupportedOps, "the bias C must be a constant for quantization");
                    bias = BiasRow(ci, nOut, n.Where).Select(v => beta * v).ToArray();
                }
                nodes.Add(Emit(n, n.Inputs[0], n.Outputs[0], w, nOut, k, bias, inits));
            }
            else if (n.OpType == "MatMul" && n.Input(1) is { } mb && inits.TryGetValue(mb, out var mw) && mw.Shape.Length == 2
                     && g.ShapeOf(n.Inputs[0]).Length == 2)
            {
                var (w, nOut, k) = WeightRows(mw, transposed: false, 1f);
                float[] bias = new float[nOut];
                string output = n.Outputs[0];
                var users = g.Consumers(output).ToList();
                if (users.Count == 1 && users[0].OpType == "Add" && !g.Outputs.Contains(output))
                {
                    var add = users[0];
                    string other = add.Inputs[0] == output ? add.Inputs[1] : add.Inputs[0];
                    if (inits.TryGetValue(other, out var addC) && addC.Shape.Length <= 2 && addC.Data.Length == nOut)
                    {
                        bias = addC.Data.ToArray();
                        output = add.Outputs[0];
                        skip.Add(add);
                    }
                }
                nodes.Add(Emit(new Node(n.Name, "Gemm", [], []), n.Inputs[0], output, w, nOut, k, bias, inits));
            }
            else nodes.Add(n);
        }
        return GraphValidator.Validate(new Graph(nodes, g.Inputs, g.Outputs, inits, ShapesOfInputs(g), g.Source));
    }

    internal static Dictionary<string, int[]> ShapesOfInputs(Graph g) => g.Inputs.ToDictionary(i => i, g.ShapeOf);

    private static (float[] w, int n, int k) WeightRows(Initializer b, bool transposed, float alpha)
    {
        // Row-major [N,K]: each output channel contiguous, as the packer wants it.
        int rows = transposed ? b.Shape[0] : b.Shape[1], k = transposed ? b.Shape[1] : b.Shape[0];
        var w = new float[rows * k];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < k; j++)
                w[r * k + j] = alpha * (transposed ? b.Data[r * k + j] : b.Data[j * rows + r]);
        return (w, rows, k);
    }

    private static float[] BiasRow(Initializer c, int n, string where)
    {
        if (c.Data.Length == 1) return Enumerable.Repeat(c.Data[0], n).ToArray();
        if (c.Data.Length == n && (c.Shape.Length == 1 || c.Shape[0] == 1)) return c.Data.ToArray();
        throw new ModelLoadException($"{where}: bias of shape {ShapeMath.Format(c.Shape)} cannot be a per-channel bias of length {n}");
    }

    private static Node Emit(Node n, string input, string output, float[] w, int nOut, int k, float[] bias, Dictionary<string, Initializer> inits)
    {
        string wn = Unique($"{n.Name}.W", inits), bn = Unique($"{n.Name}.b", inits);
        inits[wn] = new Initializer(wn, [nOut, k], w);
        inits[bn] = new Initializer(bn, [nOut], bias);
        return new Node(n.Name, "Gemm", [input, wn, bn], [output],
            new Dictionary<string, AttributeValue> { ["transB"] = new() { Int = 1 } });
    }

    internal static string Unique(string name, IReadOnlyDictionary<string, Initializer> taken)
    {
        string s = name;
        for (int i = 1; taken.ContainsKey(s); i++) s = $"{name}_{i}";
        return s;
    }
}
