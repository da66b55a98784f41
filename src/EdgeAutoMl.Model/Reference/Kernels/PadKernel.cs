using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference.Kernels;

/// <summary>
/// Pad, constant mode, non-negative pads: from constant inputs (opset ≥ 11: pads, optional
/// constant_value; the axes input of opset 18 is refused) or the pads/value attributes (opset 2).
/// </summary>
internal sealed class PadKernel : IOpKernel
{
    public int[][] InferShapes(ShapeContext ctx)
    {
        ctx.ExpectOutputs(1);
        if (ctx.Node.GetString("mode", "constant") != "constant") throw ctx.Unsupported($"mode '{ctx.Node.GetString("mode", "")}' (only constant)");
        if (ctx.Node.Input(3) != null) throw ctx.Unsupported("the axes input");
        var x = ctx.Shape(0);
        var (pads, _) = Resolve(ctx.Node, x.Length, ctx.Constant(1)?.Int64 ?? ctx.Constant(1)?.Data.Select(v => (long)v).ToArray(),
            ctx.Constant(2)?.Data, ctx.Node.Input(1) != null);
        return [x.Select((d, i) => d + (int)pads[i] + (int)pads[i + x.Length]).ToArray()];
    }

    /// <summary>Pads [begin..., end...] and the constant value.</summary>
    internal static (long[] pads, float value) Resolve(Node node, int rank, long[]? padsInput, float[]? valueInput, bool padsIsInput)
    {
        long[] pads = padsIsInput
            ? padsInput ?? throw new UnsupportedOperatorException(node.OpType, node.Name, OpRegistry.SupportedOps, "pads must be a constant initializer")
            : node.GetInts("pads") ?? throw new ModelLoadException($"{node.Where}: pads missing");
        if (pads.Length != 2 * rank) throw new ModelLoadException($"{node.Where}: {pads.Length} pads for rank {rank}");
        if (pads.Any(p => p < 0 || p > 65535)) throw new UnsupportedOperatorException(node.OpType, node.Name, OpRegistry.SupportedOps, "negative (cropping) or huge pads");
        float value = valueInput is { Length: > 0 } v ? v[0] : node.GetFloat("value", 0f);
        return (pads, value);
    }

    public FloatTensor[] Run(Node node, FloatTensor?[] inputs)
    {
        var x = inputs[0]!;
        int r = x.Shape.Length;
        var (pads, value) = Resolve(node, r, inputs.Length > 1 ? inputs[1]?.Data.Select(v => (long)v).ToArray() : null,
            inputs.Length > 2 ? inputs[2]?.Data : null, node.Input(1) != null);
        var shape = x.Shape.Select((d, i) => d + (int)pads[i] + (int)pads[i + r]).ToArray();
        var y = new float[ShapeMath.Count(shape)];
        Array.Fill(y, value);
        var outStride = new int[r];
        for (int d = r - 1, s = 1; d >= 0; d--) { outStride[d] = s; s *= shape[d]; }
        var idx = new int[r];
        for (int i = 0; i < x.Data.Length; i++)
        {
            int dst = 0;
            for (int d = 0; d < r; d++) dst += (idx[d] + (int)pads[d]) * outStride[d];
            y[dst] = x.Data[i];
            for (int d = r - 1; d >= 0 && ++idx[d] == x.Shape[d]; d--) idx[d] = 0;
        }
        return [new FloatTensor(shape, y)];
    }
}
