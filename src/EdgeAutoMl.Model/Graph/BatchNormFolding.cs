namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// Folds inference BatchNormalization into the preceding Conv or canonical Gemm:
/// with a = γ/√(σ²+ε): W'[c] = a[c]·W[c], b'[c] = a[c]·(b[c] − μ[c]) + β[c].
/// </summary>
public static class BatchNormFolding
{
    /// <summary>Returns a copy with every foldable BN folded; others are left in place.</summary>
    public static Graph Fold(Graph g)
    {
        var nodes = new List<Node>(g.Nodes);
        var inits = new Dictionary<string, Initializer>(g.Initializers);
        for (int i = 0; i < nodes.Count; i++)
        {
            var bn = nodes[i];
            if (bn.OpType != "BatchNormalization") continue;
            string x = bn.Inputs[0];
            int pi = nodes.FindIndex(n => n.Outputs.Contains(x));
            if (pi < 0) continue;
            var prev = nodes[pi];
            bool linear = prev.OpType == "Conv" || (prev.OpType == "Gemm" && prev.GetInt("transB", 0) == 1
                           && prev.GetFloat("alpha", 1) == 1 && prev.GetFloat("beta", 1) == 1);
            if (!linear || g.Outputs.Contains(x) || nodes.Count(n => n.Inputs.Contains(x)) != 1) continue;
            if (prev.Input(1) is not { } wName || !inits.TryGetValue(wName, out var w)) continue;
            var p = new Initializer[4];
            bool allConst = true;
            for (int k = 0; k < 4; k++)
                if (!inits.TryGetValue(bn.Inputs[k + 1], out p[k]!)) allConst = false;
            if (!allConst) continue;

            int m = w.Shape[0], per = w.Data.Length / m;
            float eps = bn.GetFloat("epsilon", 1e-5f);
            var oldBias = prev.Input(2) is { } bName && inits.TryGetValue(bName, out var b) ? b.Data : new float[m];
            var nw = new float[w.Data.Length];
            var nb = new float[m];
            for (int c = 0; c < m; c++)
            {
                double a = p[0].Data[c] / Math.Sqrt((double)p[3].Data[c] + eps);
                for (int j = 0; j < per; j++) nw[c * per + j] = (float)(a * w.Data[c * per + j]);
                nb[c] = (float)(a * (oldBias[c] - (double)p[2].Data[c]) + p[1].Data[c]);
            }
            string wn = LinearCanonicalizer.Unique($"{prev.Name}.W_bnfold", inits), bnn = LinearCanonicalizer.Unique($"{prev.Name}.b_bnfold", inits);
            inits[wn] = new Initializer(wn, w.Shape, nw);
            inits[bnn] = new Initializer(bnn, [m], nb);
            nodes[pi] = prev.With(inputs: [prev.Inputs[0], wn, bnn], outputs: [bn.Outputs[0]]);
            nodes.RemoveAt(i);
            i--;
        }
        return GraphValidator.Validate(new Graph(nodes, g.Inputs, g.Outputs, inits, LinearCanonicalizer.ShapesOfInputs(g), g.Source));
    }
}
