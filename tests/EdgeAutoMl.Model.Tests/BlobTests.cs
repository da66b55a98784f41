using CsCheck;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Packing;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Tests;

public class BlobTests
{
    [Theory]
    [InlineData("digits-mlp", 3)]
    [InlineData("digits-cnn", 5)]
    public void BlobReadsBackAsPacked(string name, int bits)
    {
        var q = SampleModels.Get(name).prepared.Quantize(QuantConfig.Uniform(bits));
        var m = BlobReader.Read(q.Blob);
        Assert.Equal(q.Graph.Tensors.Count, m.Tensors.Length);
        Assert.Equal(q.Graph.Ops.Count, m.Ops.Length);
        Assert.Equal(q.Costs.RamBytes, m.ArenaBytes);
        Assert.Equal(q.Costs.FlashBytes, q.Blob.Length);
        for (int i = 0; i < m.Tensors.Length; i++)
        {
            Assert.Equal(q.Graph.Tensors[i].Dims, m.Tensors[i].Dims);
            Assert.Equal(q.Graph.Tensors[i].Quant.ZeroPoint, m.Tensors[i].ZeroPoint);
            Assert.Equal(0, m.Tensors[i].ArenaOffset % 4);
        }
        foreach (var (op, rec) in q.Graph.Ops.OfType<QLinearOp>().Select(o => (o, m.Ops[q.Graph.Ops.IndexOf(o)])))
        {
            int wOff = rec.Params[rec.OpType == BlobFormat.OpFullyConnected ? 5 : 12];
            var packed = m.Data(wOff, op.Channels * (long)BlobFormat.RowBytes(op.RowLength, bits), "w");
            Assert.Equal(op.Weights, BitPacking.Unpack(packed, op.Channels, op.RowLength, bits));
            Assert.Equal(op.Bias, m.Ints(rec.Params[rec.OpType == BlobFormat.OpFullyConnected ? 6 : 13], op.Channels, "b").Select(v => (long)v));
        }
        // Weight bytes: one byte-aligned row per output channel.
        Assert.Equal(q.Graph.Ops.OfType<QLinearOp>().Sum(o => o.Channels * BlobFormat.RowBytes(o.RowLength, bits)), q.Costs.WeightBytes);
    }

    [Fact]
    public void HeaderIsLaidOutAsTheContractSays()
    {
        var q = SampleModels.Get("digits-mlp").prepared.Quantize(QuantConfig.Uniform(8));
        var b = q.Blob;
        Assert.Equal(new byte[] { 0x45, 0x41, 0x4D, 0x42 }, b[..4]);
        Assert.Equal(2, BitConverter.ToUInt16(b, 4)); // single-rounding requantization (the default)
        Assert.Equal(1, BitConverter.ToUInt16(SampleModels.Get("digits-mlp").prepared.Quantize(new QuantConfig { SingleRounding = false }).Blob, 4));
        Assert.Equal(32, BitConverter.ToUInt16(b, 6));
        Assert.Equal(32u, BitConverter.ToUInt32(b, 20));
        // MLP: input, 3 fused FC outputs; arena planner reuses: two live tensors at most (64 + 32 bytes).
        Assert.Equal(4, BitConverter.ToUInt16(b, 8));
        Assert.Equal(96u, BitConverter.ToUInt32(b, 16));
    }

    [Fact]
    public void ArenaPlannerNeverOverlapsLiveBuffers()
    {
        var one = from size in CsCheck.Gen.Int[1, 300]
                  from first in CsCheck.Gen.Int[0, 10]
                  from len in CsCheck.Gen.Int[0, 5]
                  select new BufferLifetime(size, first, first + len);
        var gen = one.Array[1, 12];
        gen.Sample(buffers =>
        {
            var (offsets, arena) = ArenaPlanner.Plan(buffers);
            for (int i = 0; i < buffers.Length; i++)
            {
                Assert.Equal(0, offsets[i] % 4);
                Assert.True(offsets[i] + buffers[i].Size <= arena);
                for (int j = i + 1; j < buffers.Length; j++)
                {
                    bool live = buffers[i].FirstOp <= buffers[j].LastOp && buffers[j].FirstOp <= buffers[i].LastOp;
                    bool overlap = offsets[i] < offsets[j] + buffers[j].Size && offsets[j] < offsets[i] + buffers[i].Size;
                    Assert.False(live && overlap, $"buffers {i} and {j} overlap while both live");
                }
            }
        }, iter: 2000);
    }

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(4, "format version")]
    [InlineData(8, "n_tensors")]
    public void CorruptHeadersAreNamed(int offset, string expected)
    {
        var b = (byte[])SampleModels.Get("digits-mlp").prepared.Quantize(QuantConfig.Uniform(8)).Blob.Clone();
        b[offset] = 0xFF;
        b[offset + 1] = 0xFF;
        Assert.Contains(expected, Assert.Throws<BlobFormatException>(() => new IntegerEngine(b)).Message);
    }

    /// <summary>Random corruptions of a blob: the engine's loader refuses or runs, it never reads out of bounds.</summary>
    [Theory]
    [InlineData("digits-mlp", 11)]
    [InlineData("digits-cnn", 12)]
    public void MutatedBlobsAreRefusedOrRunSafely(string name, int seed)
    {
        var q = SampleModels.Get(name).prepared.Quantize(QuantConfig.Uniform(4));
        var input = q.QuantizeInput(SampleModels.Get(name).val.X[0]);
        var rng = new Random(seed);
        int refused = 0;
        for (int i = 0; i < 300; i++)
        {
            var b = (byte[])q.Blob.Clone();
            if (i % 5 == 0) b = b[..rng.Next(b.Length)];
            else
                for (int k = 0; k < 1 + i % 3; k++) b[rng.Next(Math.Min(b.Length, 400))] = (byte)rng.Next(256);
            IntegerEngine engine;
            try
            {
                engine = new IntegerEngine(b);
            }
            catch (BlobFormatException)
            {
                refused++;
                continue;
            }
            if (engine.InputBytes == input.Length) engine.Run(input);
        }
        Assert.True(refused > 0);
    }
}
