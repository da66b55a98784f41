using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Reference;

/// <summary>
/// Resolved 2-D window geometry of a Conv or pooling node: strides, dilations, explicit pads
/// (auto_pad and ceil_mode resolved) and output size. Shared by the float kernels and the
/// quantizer so both see the same numbers.
/// </summary>
public sealed record SpatialGeometry(int KernelH, int KernelW, int StrideH, int StrideW, int DilationH, int DilationW,
                                     int PadTop, int PadLeft, int PadBottom, int PadRight, int OutH, int OutW)
{
    private const int MaxAttr = 65535;

    /// <summary>Resolves the geometry of <paramref name="node"/> on an input of size h×w.</summary>
    public static SpatialGeometry Resolve(Node node, int h, int w, int kh, int kw, bool allowCeilMode)
    {
        var strides = Pair(node, "strides", 1, 1);
        var dil = Pair(node, "dilations", 1, 1);
        var pads = node.GetInts("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4) throw new ModelLoadException($"{node.Where}: 'pads' must have 4 values for 2-D, has {pads.Length}");
        foreach (var p in pads)
            if (p is < 0 or > MaxAttr) throw new ModelLoadException($"{node.Where}: pad {p} out of range 0..{MaxAttr}");
        if (kh is < 1 or > MaxAttr || kw is < 1 or > MaxAttr) throw new ModelLoadException($"{node.Where}: kernel {kh}x{kw} out of range");
        long ceil = node.GetInt("ceil_mode", 0);
        if (ceil != 0 && !allowCeilMode) throw new ModelLoadException($"{node.Where}: ceil_mode is not valid here");
        string autoPad = node.GetString("auto_pad", "NOTSET");

        var (oh, pt, pb) = Axis(node, autoPad, h, kh, strides.a, dil.a, (int)pads[0], (int)pads[2], ceil != 0);
        var (ow, pl, pr) = Axis(node, autoPad, w, kw, strides.b, dil.b, (int)pads[1], (int)pads[3], ceil != 0);
        return new SpatialGeometry(kh, kw, strides.a, strides.b, dil.a, dil.b, pt, pl, pb, pr, oh, ow);
    }

    private static (int a, int b) Pair(Node node, string name, int da, int db)
    {
        var v = node.GetInts(name);
        if (v == null) return (da, db);
        if (v.Length != 2) throw new ModelLoadException($"{node.Where}: '{name}' must have 2 values for 2-D, has {v.Length}");
        foreach (var x in v)
            if (x is < 1 or > MaxAttr) throw new ModelLoadException($"{node.Where}: {name} value {x} out of range 1..{MaxAttr}");
        return ((int)v[0], (int)v[1]);
    }

    private static (int outSize, int padBegin, int padEnd) Axis(Node node, string autoPad, int size, int k, int s, int d, int pb, int pe, bool ceil)
    {
        long ek = (long)(k - 1) * d + 1;
        long o;
        switch (autoPad)
        {
            case "NOTSET":
            {
                long span = size + pb + pe - ek;
                if (span < 0) throw new ModelLoadException($"{node.Where}: window {ek} larger than padded input {size + pb + pe}");
                o = (ceil ? (span + s - 1) / s : span / s) + 1;
                // ONNX/PyTorch rule: with ceil_mode the last window must start inside the input or the left pad.
                if (ceil && (o - 1) * s >= size + pb) o--;
                break;
            }
            case "VALID":
                pb = pe = 0;
                if (size < ek) throw new ModelLoadException($"{node.Where}: window {ek} larger than input {size}");
                o = (size - ek) / s + 1;
                break;
            case "SAME_UPPER":
            case "SAME_LOWER":
            {
                o = (size + s - 1) / s;
                long total = Math.Max(0, (o - 1) * s + ek - size);
                long small = total / 2, big = total - small;
                (pb, pe) = autoPad == "SAME_UPPER" ? ((int)small, (int)big) : ((int)big, (int)small);
                break;
            }
            default:
                throw new ModelLoadException($"{node.Where}: unknown auto_pad '{autoPad}'");
        }
        if (o < 1) throw new ModelLoadException($"{node.Where}: output size {o} < 1");
        return ((int)o, pb, pe);
    }
}
