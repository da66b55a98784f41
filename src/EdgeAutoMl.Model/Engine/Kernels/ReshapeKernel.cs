using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine.Kernels;

/// <summary>RESHAPE (op 6): a byte copy (Flatten and Reshape).</summary>
internal sealed class ReshapeKernel : IOpEvaluator
{
    public Action<byte[]> Prepare(BlobModel m, BlobOp op)
    {
        var tin = m.Tensors[op.Inputs[0]];
        var tout = m.Tensors[op.Outputs[0]];
        if (tin.Elements != tout.Elements) throw KernelChecks.Error(op, $"input has {tin.Elements} elements, output {tout.Elements}");
        KernelChecks.SameDType(op, tin, tout);
        int n = tin.Bytes, inOff = tin.ArenaOffset, outOff = tout.ArenaOffset;
        return arena => Buffer.BlockCopy(arena, inOff, arena, outOff, n);
    }
}
