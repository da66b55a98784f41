using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>LUT (op 8): y = table[x + 128], a 256-byte table in the data section.</summary>
internal sealed class LutKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tin.Elements != tout.Elements) throw KernelChecks.Error(op, $"input has {tin.Elements} elements, output {tout.Elements}");
        var table = m.Data(op.Params[0], 256, $"op {op.Index} table").ToArray();
        int n = tin.Elements, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        return arena =>
        {
            for (int i = 0; i < n; i++) arena[outOff + i] = table[(byte)((sbyte)arena[inOff + i] + 128)];
        };
    }
}
