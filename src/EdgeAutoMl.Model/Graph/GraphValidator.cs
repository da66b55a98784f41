using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// Checks a graph and completes it: every input defined, no cycles (nodes reordered
/// topologically), every op supported, every value's static shape inferred.
/// </summary>
public static class GraphValidator
{
    /// <summary>Largest element count we accept for one tensor: far above any MCU model, small enough not to exhaust the host.</summary>
    public const long MaxElements = 1L << 26;

    /// <summary>Validates and returns the graph with nodes sorted and shapes filled in.</summary>
    public static Graph Validate(Graph g)
    {
        var producers = new Dictionary<string, int>();
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var n = g.Nodes[i];
            var kernel = OpRegistry.Find(n.OpType);
            if (kernel == null) throw new UnsupportedOperatorException(n.OpType, n.Name, OpRegistry.SupportedOps);
            foreach (var o in n.Outputs)
            {
                if (o.Length == 0) continue;
                if (producers.ContainsKey(o) || g.Initializers.ContainsKey(o) || g.Inputs.Contains(o))
                    throw new ModelLoadException($"{g.Source}: value '{o}' is defined more than once (again by {n.Where})");
                producers[o] = i;
            }
        }
        foreach (var n in g.Nodes)
            foreach (var inp in n.Inputs)
                if (inp.Length > 0 && !producers.ContainsKey(inp) && !g.Initializers.ContainsKey(inp) && !g.Inputs.Contains(inp))
                    throw new ModelLoadException($"{g.Source}: {n.Where} reads '{inp}', which is neither a graph input, an initializer nor a node output (missing initializer?)");
        foreach (var o in g.Outputs)
            if (!producers.ContainsKey(o) && !g.Inputs.Contains(o) && !g.Initializers.ContainsKey(o))
                throw new ModelLoadException($"{g.Source}: graph output '{o}' is never produced");

        var order = TopologicalOrder(g, producers);
        var shapes = new Dictionary<string, int[]>();
        foreach (var (name, init) in g.Initializers) shapes[name] = init.Shape;
        foreach (var name in g.Inputs) shapes[name] = g.ShapeOf(name);
        foreach (var n in order)
        {
            var ins = n.Inputs.Select(i => i.Length > 0 ? shapes[i] : null).ToArray();
            var outs = OpRegistry.Find(n.OpType)!.InferShapes(new ShapeContext(n, ins, g.Initializers));
            for (int i = 0; i < n.Outputs.Length && i < outs.Length; i++)
            {
                CheckShape(outs[i], $"{g.Source}: {n.Where} output '{n.Outputs[i]}'");
                if (n.Outputs[i].Length > 0) shapes[n.Outputs[i]] = outs[i];
            }
        }
        return new Graph(order, g.Inputs, g.Outputs, g.Initializers, shapes, g.Source);
    }

    /// <summary>Throws unless every dim is ≥ 1 and the element count is at most <see cref="MaxElements"/>.</summary>
    public static void CheckShape(IReadOnlyList<long> shape, string where)
    {
        long c = 1;
        foreach (var d in shape)
        {
            if (d < 1) throw new ModelLoadException($"{where}: dimension {d} in ({string.Join(",", shape)}) must be ≥ 1");
            if (d > MaxElements || (c *= d) > MaxElements)
                throw new ModelLoadException($"{where}: shape ({string.Join(",", shape)}) exceeds {MaxElements} elements");
        }
    }

    private static void CheckShape(int[] shape, string where) => CheckShape(shape.Select(d => (long)d).ToArray(), where);

    private static List<Node> TopologicalOrder(Graph g, Dictionary<string, int> producers)
    {
        // Kahn's algorithm, stable: among ready nodes keep file order.
        int n = g.Nodes.Count;
        var indeg = new int[n];
        var users = new List<int>[n];
        for (int i = 0; i < n; i++) users[i] = [];
        for (int i = 0; i < n; i++)
            foreach (var inp in g.Nodes[i].Inputs.Distinct())
                if (inp.Length > 0 && producers.TryGetValue(inp, out var p))
                {
                    indeg[i]++;
                    users[p].Add(i);
                }
        var ready = new SortedSet<int>(Enumerable.Range(0, n).Where(i => indeg[i] == 0));
        var order = new List<Node>(n);
        while (ready.Count > 0)
        {
            int i = ready.Min;
            ready.Remove(i);
            order.Add(g.Nodes[i]);
            foreach (var u in users[i])
                if (--indeg[u] == 0) ready.Add(u);
        }
        if (order.Count != n)
        {
            var stuck = Enumerable.Range(0, n).Where(i => indeg[i] > 0).Select(i => g.Nodes[i].Name).Take(5);
            throw new ModelLoadException($"{g.Source}: the graph has a cycle through node(s) {string.Join(", ", stuck)}");
        }
        return order;
    }
}
