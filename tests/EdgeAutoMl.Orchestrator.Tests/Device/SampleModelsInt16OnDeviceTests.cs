using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Packing;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Tests;
using Xunit.Abstractions;

namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>
/// Both sample models with some layers at 16-bit activations (and the op zoo, every op at
/// int16 and at int8/int16 boundaries): the host-port firmware returns the C# engine's bytes.
/// </summary>
[Collection("device")]
public class SampleModelsInt16OnDeviceTests(DeviceRunner device, ITestOutputHelper output) : IClassFixture<DeviceRunner>
{
    private static string Sample(string file) => Path.Combine(DeviceRunner.RepoRoot, "samples", file);

    /// <summary>Activation points at 16 bits: every other one from the first (input included) or from the second.</summary>
    private static QuantConfig Mixed(PreparedModel p, bool from16, int weightBits) => new()
    {
        DefaultWeightBits = weightBits,
        ActivationBits = p.ActivationPoints.Select((n, i) => (n, b: (i % 2 == 0) == from16 ? 16 : 8)).ToDictionary(t => t.n, t => t.b),
    };

    [Theory]
    [InlineData("digits-mlp", true, 8)]
    [InlineData("digits-mlp", false, 4)]
    [InlineData("digits-cnn", true, 4)]
    [InlineData("digits-cnn", false, 8)]
    [InlineData("cancer-mlp", true, 3)]
    public async Task Sample_model_with_int16_layers_is_bit_exact_on_the_device(string name, bool from16, int weightBits)
    {
        var graph = OnnxModel.Load(Sample($"{name}.onnx"));
        var calib = Dataset.SplitSamples(NpyReader.ReadFloat32(Sample($"{name}.calib.x.npy")), name);
        var val = Dataset.Load(Sample($"{name}.val.x.npy"), Sample($"{name}.val.y.npy"));
        var prepared = PreparedModel.Prepare(graph, calib, CalibrationMethod.MinMax);
        var q = prepared.Quantize(Mixed(prepared, from16, weightBits));
        var dtypes = BlobReader.Read(q.Blob).Tensors.Select(t => t.DType).ToList();
        Assert.Contains(BlobFormat.DTypeInt16, dtypes);
        Assert.Contains(BlobFormat.DTypeInt8, dtypes);
        var engine = new IntegerEngine(q.Blob);
        var inputs = val.X.Take(40).Select(q.QuantizeInput).ToList();
        var got = await device.RunAsync(q.Blob, inputs, q.OutputBytes);
        output.WriteLine($"{name} 16-bit from the {(from16 ? "input" : "first layer")}, w{weightBits}: " +
                         $"{dtypes.Count(d => d == BlobFormat.DTypeInt16)}/{dtypes.Count} tensors int16, {inputs.Count} inputs");
        for (int i = 0; i < inputs.Count; i++)
            Assert.True(engine.Run(inputs[i]).AsSpan().SequenceEqual(got[i]),
                $"{name} input {i}: device {Convert.ToHexString(got[i])} vs engine {Convert.ToHexString(engine.Run(inputs[i]))}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Op_zoo_with_int16_activations_is_bit_exact_on_the_device(int variant)
    {
        var graph = OnnxModel.Load(OpZooModel.Build(), "opzoo");
        var prepared = PreparedModel.Prepare(graph, OpZooModel.Samples(64, 1));
        var q = prepared.Quantize(variant == 0 ? new QuantConfig { DefaultActivationBits = 16 } : Mixed(prepared, variant == 1, 6));
        var engine = new IntegerEngine(q.Blob);
        var inputs = OpZooModel.Samples(16, 11).Select(q.QuantizeInput).ToList();
        // Extremes of the input dtype reach the saturation paths (LUT ends, ADD/CONCAT clamps).
        inputs.Add(Enumerable.Range(0, q.InputBytes).Select(i => q.InputQuant.Bits == 16 ? (byte)(i % 2 == 0 ? 0x00 : 0x80) : (byte)0x80).ToArray());
        inputs.Add(Enumerable.Range(0, q.InputBytes).Select(i => q.InputQuant.Bits == 16 ? (byte)(i % 2 == 0 ? 0xFF : 0x7F) : (byte)0x7F).ToArray());
        var got = await device.RunAsync(q.Blob, inputs, q.OutputBytes);
        int distinct = got.Select(Convert.ToHexString).Distinct().Count();
        output.WriteLine($"variant {variant}: input {q.InputQuant.Bits}-bit, output {q.OutputQuant.Bits}-bit, {distinct} distinct outputs of {inputs.Count}");
        Assert.True(distinct > inputs.Count / 2, "outputs barely vary: the comparison would prove little");
        for (int i = 0; i < inputs.Count; i++)
            Assert.True(engine.Run(inputs[i]).AsSpan().SequenceEqual(got[i]),
                $"input {i}: device {Convert.ToHexString(got[i])} vs engine {Convert.ToHexString(engine.Run(inputs[i]))}");
    }
}
