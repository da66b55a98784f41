namespace EdgeAutoMl.Model.Graphs;

/// <summary>Small graph rewrites that keep float semantics.</summary>
public static class Transforms
{
    /// <summary>Removes Identity and inference Dropout nodes by rewiring their consumers.</summary>
    public static Graph RemoveIdentities(Graph g)
    {
        var nodes = new List<Node>(g.Nodes);
        var outputs = new List<string>(g.Outputs);
        for (int i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            if (n.OpType is not ("Identity" or "Dropout") || n.Inputs.Length < 1 || n.Outputs.Length != 1) continue;
            string from = n.Inputs[0], to = n.Outputs[0];
            if (from.Length == 0 || to.Length == 0) continue;
            bool fromIsProduced = nodes.Any(m => m != n && m.Outputs.Contains(from));
            if (outputs.Contains(to))
            {
                // Keep the graph output's name: rename the producer's value instead, when we can.
                if (!fromIsProduced || outputs.Contains(from)) continue;
                for (int j = 0; j < nodes.Count; j++)
                    nodes[j] = nodes[j].With(
                        inputs: nodes[j].Inputs.Select(x => x == from ? to : x).ToArray(),
                        outputs: nodes[j].Outputs.Select(x => x == from ? to : x).ToArray());
            }
            else
            {
                for (int j = 0; j < nodes.Count; j++)
                    nodes[j] = nodes[j].With(inputs: nodes[j].Inputs.Select(x => x == to ? from : x).ToArray());
            }
            nodes.RemoveAt(i);
            i--;
        }
        return new Graph(nodes, g.Inputs, outputs, g.Initializers, g.Shapes, g.Source);
    }
}
