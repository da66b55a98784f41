using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Tests;
using Xunit.Abstractions;

namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>
/// Bit-exactness of ops 7-12 (and the rest of <see cref="OpZooModel"/>) on the device: the
/// host-port firmware must return the same output bytes as the C# integer engine.
/// </summary>
[Collection("device")]
public class OpZooOnDeviceTests(DeviceRunner device, ITestOutputHelper output) : IClassFixture<DeviceRunner>
{
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public async Task Device_output_bytes_equal_the_integer_engine(int bits)
    {
        var graph = OnnxModel.Load(OpZooModel.Build(), "opzoo");
        var q = PreparedModel.Prepare(graph, OpZooModel.Samples(64, 1)).Quantize(QuantConfig.Uniform(bits));
        var engine = new IntegerEngine(q.Blob);
        var inputs = OpZooModel.Samples(24, 11).Select(q.QuantizeInput).ToList();
        // Inputs at the int8 extremes reach every saturation path (LUT ends, ADD/CONCAT clamps).
        inputs.Add(Enumerable.Repeat((byte)0x80, q.InputBytes).ToArray());
        inputs.Add(Enumerable.Repeat((byte)0x7F, q.InputBytes).ToArray());

        var got = await device.RunAsync(q.Blob, inputs, q.OutputBytes);

        int distinct = got.Select(Convert.ToHexString).Distinct().Count();
        output.WriteLine($"{bits}-bit weights: blob {q.Blob.Length} B, {inputs.Count} inputs, {distinct} distinct outputs");
        Assert.True(distinct > inputs.Count / 2, "outputs barely vary: the comparison would prove little");
        for (int i = 0; i < inputs.Count; i++)
            Assert.True(engine.Run(inputs[i]).AsSpan().SequenceEqual(got[i]),
                $"input {i}: device {Convert.ToHexString(got[i])} vs engine {Convert.ToHexString(engine.Run(inputs[i]))}");
    }
}
