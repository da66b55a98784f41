namespace EdgeAutoMl.Model.Graphs;

/// <summary>
/// Mul or Add by a per-channel constant (a standalone affine that an exporter left after a
/// layer, e.g. a scale it did not fold): when it directly follows a Conv or canonical Gemm
/// whose output has no other reader it is folded into that layer (Mul: W'[c] = k[c]·W[c],
/// b'[c] = k[c]·b[c]; Add: b'[c] = b[c] + a[c]); otherwise, on an NCHW activation, it becomes a
/// depthwise 1x1 Conv (group = C, weight k[c] or 1, bias 0 or a[c]), an ordinary quantized
/// layer whose single weight per channel is exact at any bit-width. Scalar constants are left
/// to the LUT path; a per-feature constant on a 2-D activation that follows no foldable layer
/// is left in place (the quantizer refuses it with a clear error).
/// </summary>
public static class AffineFolding
{
    /// <summary>Returns a copy with every per-channel Mul/Add folded or turned into a depthwise Conv.</summary>
    public static Graph Fold(Graph g)
    {
        var nodes = new List<Node>(g.Nodes);
        var inits = new Dictionary<string, Initializer>(g.Initializers);
        bool changed = false;
        for (int i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            if (n.OpType is not ("Mul" or "Add") || n.Inputs.Length != 2) continue;
            int ci = inits.ContainsKey(n.Inputs[1]) ? 1 : inits.ContainsKey(n.Inputs[0]) ? 0 : -1;
            if (ci < 0 || inits.ContainsKey(n.Inputs[1 - ci])) continue;
            string x = n.Inputs[1 - ci];
            var k = inits[n.Inputs[ci]];
            var shape = g.ShapeOf(x);
            if (!PerChannel(k.Shape, shape)) continue;
            int channels = shape[1];
            bool mul = n.OpType == "Mul";

            int pi = nodes.FindIndex(p => p.Outputs.Contains(x));
            var prev = pi >= 0 ? nodes[pi] : null;
            bool linear = prev != null && (prev.OpType == "Conv" || (prev.OpType == "Gemm" && prev.GetInt("transB", 0) == 1
                          && prev.GetFloat("alpha", 1) == 1 && prev.GetFloat("beta", 1) == 1));
            if (linear && !g.Outputs.Contains(x) && nodes.Count(c => c.Inputs.Contains(x)) == 1
                && prev!.Input(1) is { } wName && inits.TryGetValue(wName, out var w) && w.Shape[0] == channels)
            {
                int per = w.Data.Length / channels;
                var oldBias = prev.Input(2) is { } bName && inits.TryGetValue(bName, out var b) ? b.Data : new float[channels];
                var nw = (float[])w.Data.Clone();
                var nb = new float[channels];
                for (int c = 0; c < channels; c++)
                {
                    if (mul) for (int j = 0; j < per; j++) nw[c * per + j] = w.Data[c * per + j] * k.Data[c];
                    nb[c] = mul ? oldBias[c] * k.Data[c] : oldBias[c] + k.Data[c];
                }
                string wn = LinearCanonicalizer.Unique($"{prev.Name}.W_affine", inits), bn = LinearCanonicalizer.Unique($"{prev.Name}.b_affine", inits);
                inits[wn] = new Initializer(wn, w.Shape, nw);
                inits[bn] = new Initializer(bn, [channels], nb);
                nodes[pi] = prev.With(inputs: [prev.Inputs[0], wn, bn], outputs: [n.Outputs[0]]);
                nodes.RemoveAt(i);
                i--;
                changed = true;
                continue;
            }
            if (shape.Length != 4) continue;
            string dw = LinearCanonicalizer.Unique($"{n.Name}.W_dw", inits), db = LinearCanonicalizer.Unique($"{n.Name}.b_dw", inits);
            inits[dw] = new Initializer(dw, [channels, 1, 1, 1], mul ? (float[])k.Data.Clone() : Enumerable.Repeat(1f, channels).ToArray());
            inits[db] = new Initializer(db, [channels], mul ? new float[channels] : (float[])k.Data.Clone());
            nodes[i] = new Node(n.Name, "Conv", [x, dw, db], n.Outputs, new Dictionary<string, AttributeValue>
            {
                ["group"] = new() { Int = channels },
                ["kernel_shape"] = new() { Ints = [1, 1] },
            });
            changed = true;
        }
        return changed ? GraphValidator.Validate(new Graph(nodes, g.Inputs, g.Outputs, inits, LinearCanonicalizer.ShapesOfInputs(g), g.Source)) : g;
    }

    /// <summary>
    /// True when <paramref name="k"/> broadcasts one value per channel (axis 1) of an activation
    /// of shape <paramref name="x"/> ([N,C,H,W] or [N,F]): right-aligned, every dim 1 but the channel's; more than one channel.
    /// </summary>
    public static bool PerChannel(int[] k, int[] x)
    {
        if (x.Length < 2 || k.Length > x.Length || x[1] < 2) return false;
        var padded = Enumerable.Repeat(1, x.Length - k.Length).Concat(k).ToArray();
        for (int d = 0; d < x.Length; d++)
            if (padded[d] != (d == 1 ? x[1] : 1)) return false;
        return true;
    }
}
