using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>
/// LUT (op 8). int8 input: y = table[x + 128] (256 entries: bytes for an int8 output, i16 for
/// an int16 output). int16 input: 513 i16 entries at q = 128·(i − 256), linearly interpolated:
/// i = (x >> 7) + 256, f = x &amp; 127, y = t[i] + ((t[i+1] − t[i])·f + 64) >> 7, clamped to the output dtype.
/// </summary>
internal sealed class LutKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tin.Elements != tout.Elements) throw KernelChecks.Error(op, $"input has {tin.Elements} elements, output {tout.Elements}");
        string what = $"op {op.Index} table";
        int[] table = tin.Is16 ? m.Shorts(op.Params[0], BlobFormat.LutInt16Entries, what)
            : tout.Is16 ? m.Shorts(op.Params[0], 256, what)
            : m.Data(op.Params[0], 256, what).ToArray().Select(b => (int)(sbyte)b).ToArray();
        int n = tin.Elements, lo = tout.QMin, hi = tout.QMax;
        var x = new Act(tin);
        var y = new Act(tout);
        if (!tin.Is16)
            return arena =>
            {
                for (int i = 0; i < n; i++) y.Set(arena, i, Math.Clamp(table[x[arena, i] + 128], lo, hi));
            };
        return arena =>
        {
            for (int i = 0; i < n; i++)
            {
                int v = x[arena, i], k = (v >> 7) + 256, f = v & 127;
                int r = table[k] + (((table[k + 1] - table[k]) * f + 64) >> 7);
                y.Set(arena, i, Math.Clamp(r, lo, hi));
            }
        };
    }
}
