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
        // |x − zp| < 2^8 (int8) or ≤ 2^15 (int16): ≤ 22 or ≤ 15 keeps every term inside int32 (as the firmware checks).
        int maxLeft = a.Is16 || b.Is16 ? 15 : 22;
        if (left < 0 || left > maxLeft) throw KernelChecks.Error(op, $"left shift {left} outside 0..{maxLeft}");
        if (p[4] > 0 || p[6] > 0) throw KernelChecks.Error(op, "input multipliers must be < 1 (shift ≤ 0)");
        KernelChecks.Multipliers(op, [p[3], p[5], p[7]], [p[4], p[6], p[8]]);
        KernelChecks.ActRange(op, actMin, actMax, o);
        KernelChecks.NoOverlap(op, [a, b], o);
        int n = o.Elements, za = a.ZeroPoint, zb = b.ZeroPoint, zo = o.ZeroPoint;
        bool s1 = m.SingleRounding;
        var xa = new Act(a);
        var xb = new Act(b);
        var yo = new Act(o);
        return arena =>
        {
            for (int i = 0; i < n; i++)
            {
                int x = (xa[arena, i] - za) * (1 << left);
                int y = (xb[arena, i] - zb) * (1 << left);
                int sum = FixedPoint.Requantize(s1, x, p[3], p[4]) + FixedPoint.Requantize(s1, y, p[5], p[6]);
                yo.Set(arena, i, Math.Clamp(zo + FixedPoint.Requantize(s1, sum, p[7], p[8]), actMin, actMax));
            }
        };
    }
}
