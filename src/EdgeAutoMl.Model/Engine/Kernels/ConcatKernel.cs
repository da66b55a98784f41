using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>CONCAT (op 12): inputs requantized to the output along a blob axis.</summary>
internal sealed class ConcatKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        int axis = op.Params[0];
        var ins = op.Inputs.Select(i => m.Tensors[i]).ToArray();
        var tout = m.Tensors[op.Outputs[0]];
        int r = tout.Dims.Length;
        if (axis < 0 || axis >= r) throw KernelChecks.Error(op, $"axis {axis} outside rank {r}");
        var od = TransposeKernel.Pad4(tout.Dims);
        int along = 0;
        foreach (var t in ins)
        {
            if (t.Dims.Length != r) throw KernelChecks.Error(op, "ranks differ");
            var d = TransposeKernel.Pad4(t.Dims);
            for (int k = 0; k < 4; k++)
                if (k != axis && d[k] != od[k]) throw KernelChecks.Error(op, "dims differ off the axis");
            along += d[axis];
        }
        if (along != od[axis]) throw KernelChecks.Error(op, "axis dims do not sum to the output's");
        var mult = m.Ints(op.Params[1], ins.Length, $"op {op.Index} mult");
        var shift = m.Ints(op.Params[2], ins.Length, $"op {op.Index} shift");
        KernelChecks.Multipliers(op, mult, shift);
        KernelChecks.NoOverlap(op, ins, tout);
        var xs = ins.Select(t => new Act(t)).ToArray();
        var y = new Act(tout);
        int lo = tout.QMin, hi = tout.QMax;
        bool single = m.SingleRounding;
        int outer = od.Take(axis).Aggregate(1, (a, b) => a * b), inner = od.Skip(axis + 1).Aggregate(1, (a, b) => a * b);
        int zo = tout.ZeroPoint, outOff = tout.ArenaOffset;
        return arena =>
        {
            int k = 0;
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < ins.Length; j++)
                {
                    int n = TransposeKernel.Pad4(ins[j].Dims)[axis] * inner, src = o * n, zi = ins[j].ZeroPoint;
                    for (int i = 0; i < n; i++)
                        y.Set(arena, k++, Math.Clamp(zo + FixedPoint.Requantize(single, xs[j][arena, src + i] - zi, mult[j], shift[j]), lo, hi));
                }
        };
    }
}
