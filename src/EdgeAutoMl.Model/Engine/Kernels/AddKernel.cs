using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>
/// ADD (op 7), TFLite int8 Add: each input (x − zp)·2^left is rescaled to the common scale
/// 2·max(s1,s2), the sum rescaled to the output, clamped.
/// </summary>
internal sealed class AddKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var p = op.Params;
        int actMin = p[0], actMax = p[1], left = p[2];
        var a = m.Tensors[op.Inputs[0]];
        var b = m.Tensors[op.Inputs[1]];
        var o = m.Tensors[op.Outputs[0]];
        if (a.Elements != o.Elements || b.Elements != o.Elements) throw KernelChecks.Error(op, $"element counts {a.Elements}, {b.Elements} → {o.Elements} differ");
        // (x − zp) < 2^8, so ≤ 22 keeps every term and their sum inside int32 (as the firmware checks).
        if (left is < 0 or > 22) throw KernelChecks.Error(op, $"left shift {left} outside 0..22");
        if (p[4] > 0 || p[6] > 0) throw KernelChecks.Error(op, "input multipliers must be < 1 (shift ≤ 0)");
        KernelChecks.Multipliers(op, [p[3], p[5], p[7]], [p[4], p[6], p[8]]);
        KernelChecks.ActRange(op, actMin, actMax);
        KernelChecks.NoOverlap(op, [a, b], o);
        int n = o.Elements, za = a.ZeroPoint, zb = b.ZeroPoint, zo = o.ZeroPoint;
        int ao = a.ArenaOffset, bo = b.ArenaOffset, oo = o.ArenaOffset;
        return arena =>
        {
            for (int i = 0; i < n; i++)
            {
                int x = ((sbyte)arena[ao + i] - za) * (1 << left);
                int y = ((sbyte)arena[bo + i] - zb) * (1 << left);
                int sum = FixedPoint.Mbqm(x, p[3], p[4]) + FixedPoint.Mbqm(y, p[5], p[6]);
                arena[oo + i] = (byte)(sbyte)Math.Clamp(zo + FixedPoint.Mbqm(sum, p[7], p[8]), actMin, actMax);
            }
        };
    }
}
