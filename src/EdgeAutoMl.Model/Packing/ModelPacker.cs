using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Packing;

/// <summary>Writes an <see cref="IntegerGraph"/> as a format-1 blob, byte for byte as MODEL_FORMAT.md lays it out.</summary>
public static class ModelPacker
{
    /// <summary>Packs the graph: header, tensor table, op table, data section; arena planned by tensor lifetimes.</summary>
    public static PackedModel Pack(IntegerGraph g)
    {
        if (g.Tensors.Count is < 1 or > BlobFormat.MaxTensors) throw new InvalidOperationException($"{g.Tensors.Count} tensors: blob format 1 allows 1..{BlobFormat.MaxTensors}");
        if (g.Ops.Count is < 1 or > BlobFormat.MaxOps) throw new InvalidOperationException($"{g.Ops.Count} ops: blob format 1 allows 1..{BlobFormat.MaxOps}");

        var (offsets, arena) = ArenaPlanner.Plan(Lifetimes(g));
        var data = new DataSection();
        var opRecords = new MemoryStream();
        var ow = new BinaryWriter(opRecords);
        int weightBytes = 0;
        foreach (var op in g.Ops)
        {
            var (type, parms) = Params(g, op, data, ref weightBytes);
            var inputs = op.AllInputs;
            ow.Write(type);
            ow.Write((byte)inputs.Length);
            ow.Write((byte)1);
            ow.Write((byte)parms.Length);
            foreach (var i in inputs) ow.Write((ushort)i);
            ow.Write((ushort)op.Output);
            // An odd tensor count is followed by one u16 of padding, keeping params 4-aligned.
            if ((inputs.Length + 1) % 2 != 0) ow.Write((ushort)0);
            foreach (var p in parms) ow.Write(p);
        }
        ow.Flush();

        int tensorsOffset = BlobFormat.HeaderBytes;
        int opsOffset = tensorsOffset + g.Tensors.Count * BlobFormat.TensorRecordBytes;
        int dataOffset = BlobFormat.Align4(opsOffset + (int)opRecords.Length);
        var blob = new MemoryStream();
        var w = new BinaryWriter(blob);
        w.Write(BlobFormat.Magic);
        w.Write(g.FormatVersion);
        w.Write((ushort)BlobFormat.HeaderBytes);
        w.Write((ushort)g.Tensors.Count);
        w.Write((ushort)g.Ops.Count);
        w.Write((ushort)g.Input);
        w.Write((ushort)g.Output);
        w.Write((uint)arena);
        w.Write((uint)tensorsOffset);
        w.Write((uint)opsOffset);
        w.Write((uint)dataOffset);
        for (int i = 0; i < g.Tensors.Count; i++)
        {
            var t = g.Tensors[i];
            w.Write(t.DType);
            w.Write((byte)t.Dims.Length);
            for (int d = 0; d < 4; d++) w.Write((ushort)(d < t.Dims.Length ? t.Dims[d] : 1));
            w.Write((short)t.Quant.ZeroPoint);
            w.Write((uint)offsets[i]);
        }
        opRecords.Position = 0;
        opRecords.CopyTo(blob);
        while (blob.Length < dataOffset) w.Write((byte)0);
        w.Write(data.ToArray());
        w.Flush();
        return new PackedModel(blob.ToArray(), arena, weightBytes);
    }

    private static List<BufferLifetime> Lifetimes(IntegerGraph g)
    {
        var first = new int[g.Tensors.Count];
        var last = new int[g.Tensors.Count];
        Array.Fill(first, -1);
        first[g.Input] = 0;
        last[g.Input] = 0;
        for (int i = 0; i < g.Ops.Count; i++)
        {
            var op = g.Ops[i];
            foreach (var x in op.AllInputs) last[x] = Math.Max(last[x], i);
            if (first[op.Output] < 0) first[op.Output] = i;
            last[op.Output] = Math.Max(last[op.Output], i);
        }
        // The output must survive the last op so the host can read it.
        last[g.Output] = g.Ops.Count;
        return g.Tensors.Select((t, i) => new BufferLifetime(t.Bytes, Math.Max(first[i], 0), last[i])).ToList();
    }

    private static (byte type, int[] parms) Params(IntegerGraph graph, QOp op, DataSection data, ref int weightBytes)
    {
        bool in16 = graph.Tensors[op.Input].Quant.Bits == 16, out16 = graph.Tensors[op.Output].Quant.Bits == 16;
        switch (op)
        {
            case QFullyConnected fc:
            {
                var (wOff, bOff, mOff, sOff, wb) = Linear(fc, data, in16);
                weightBytes += wb;
                return (BlobFormat.OpFullyConnected, [fc.Bits, fc.RowLength, fc.Channels, fc.ActMin, fc.ActMax, wOff, bOff, mOff, sOff]);
            }
            case QConv2D cv:
            {
                var (wOff, bOff, mOff, sOff, wb) = Linear(cv, data, in16);
                weightBytes += wb;
                var g = cv.Geometry;
                return (BlobFormat.OpConv2D, [cv.Bits, g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadTop, g.PadLeft,
                    g.DilationH, g.DilationW, cv.Group, cv.ActMin, cv.ActMax, wOff, bOff, mOff, sOff]);
            }
            case QMaxPool mp:
            {
                var g = mp.Geometry;
                return (BlobFormat.OpMaxPool, [g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadTop, g.PadLeft]);
            }
            case QGlobalAvgPool gap:
                return (BlobFormat.OpGlobalAvgPool, [gap.Mult, gap.Shift, gap.ActMin, gap.ActMax]);
            case QClamp cl:
                return (BlobFormat.OpClamp, [cl.ActMin, cl.ActMax]);
            case QReshape:
                return (BlobFormat.OpReshape, []);
            case QAdd a:
                return (BlobFormat.OpAdd, [a.ActMin, a.ActMax, a.LeftShift, a.In1.mult, a.In1.shift, a.In2.mult, a.In2.shift, a.Out.mult, a.Out.shift]);
            case QLut l:
                // int8 → int8 keeps the 256-byte table; any int16 side stores i16 entries (2-aligned).
                return (BlobFormat.OpLut, [in16 || out16 ? data.AddShorts(l.Table) : data.AddBytes(l.Table.Select(v => (byte)(sbyte)v).ToArray())]);
            case QAvgPool ap:
            {
                var g = ap.Geometry;
                var q = graph.Tensors[ap.Output].Quant;
                return (BlobFormat.OpAvgPool, [g.KernelH, g.KernelW, g.StrideH, g.StrideW, g.PadTop, g.PadLeft, ap.CountIncludePad ? 1 : 0, q.QMin, q.QMax]);
            }
            case QTranspose t:
                return (BlobFormat.OpTranspose, t.Perm);
            case QPad pd:
                return (BlobFormat.OpPad, [.. pd.Begin, .. pd.End, pd.Value]);
            case QConcat cc:
                return (BlobFormat.OpConcat, [cc.Axis, data.AddInts(cc.Mult), data.AddInts(cc.Shift)]);
            default:
                throw new InvalidOperationException($"no blob encoding for {op.GetType().Name}");
        }
    }

    private static (int w, int b, int m, int s, int weightBytes) Linear(QLinearOp op, DataSection data, bool int16Input)
    {
        var packed = BitPacking.Pack(op.Weights, op.RowLength, op.Bits);
        int w = data.AddBytes(packed);
        // An int16 input accumulates in int64, so its bias is i64 (MODEL_FORMAT.md).
        int b = int16Input ? data.AddLongs(op.Bias) : data.AddInts(op.Bias.Select(v => checked((int)v)).ToArray());
        return (w, b, data.AddInts(op.Mult), data.AddInts(op.Shift), packed.Length);
    }

    /// <summary>The constant data section; i32 arrays start 4-aligned.</summary>
    private sealed class DataSection
    {
        private readonly MemoryStream _s = new();

        public int AddBytes(byte[] bytes)
        {
            int off = (int)_s.Length;
            _s.Write(bytes);
            return off;
        }

        public int AddInts(int[] values)
        {
            while (_s.Length % 4 != 0) _s.WriteByte(0);
            int off = (int)_s.Length;
            var w = new BinaryWriter(_s);
            foreach (var v in values) w.Write(v);
            w.Flush();
            return off;
        }

        public int AddShorts(int[] values)
        {
            if (_s.Length % 2 != 0) _s.WriteByte(0);
            int off = (int)_s.Length;
            var w = new BinaryWriter(_s);
            foreach (var v in values) w.Write(checked((short)v));
            w.Flush();
            return off;
        }

        public int AddLongs(long[] values)
        {
            while (_s.Length % 8 != 0) _s.WriteByte(0);
            int off = (int)_s.Length;
            var w = new BinaryWriter(_s);
            foreach (var v in values) w.Write(v);
            w.Flush();
            return off;
        }

        public byte[] ToArray()
        {
            while (_s.Length % 4 != 0) _s.WriteByte(0);
            return _s.ToArray();
        }
    }
}
