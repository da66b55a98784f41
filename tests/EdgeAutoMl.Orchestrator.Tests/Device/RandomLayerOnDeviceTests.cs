using CsCheck;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using Xunit.Abstractions;

namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>
/// Property: for random small CONV2D (plain, grouped, depthwise; strides, pads, dilation) and
/// FULLY_CONNECTED layers at random weight bits 2..8 and random activation dtypes (int8 or
/// int16 input, int8 or int16 output: the seed's low two bits), the host-port firmware returns
/// the same output bytes as the C# integer engine.
/// </summary>
[Collection("device")]
public class RandomLayerOnDeviceTests(DeviceRunner device, ITestOutputHelper output) : IClassFixture<DeviceRunner>
{
    private const int Cases = 30;
    private const int InputsPerCase = 4;

    private static readonly Gen<ConvCase> ConvGen =
        from shape in Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Bool)
        from hw in Gen.Select(Gen.Int[1, 7], Gen.Int[1, 7], Gen.Int[1, 3], Gen.Int[1, 3])
        from geo in Gen.Select(Gen.Int[1, 3], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[1, 2])
        from bits in Gen.Int[2, 8]
        from relu in Gen.Bool
        from seed in Gen.Int
        // Half the cases are depthwise (one input channel per group, like MobileNet).
        let depthwise = shape.Item4
        let groups = depthwise ? shape.Item1 + 1 : shape.Item1
        let cpg = depthwise ? 1 : shape.Item2
        let c = new ConvCase(groups, cpg, shape.Item3, hw.Item1, hw.Item2, hw.Item3, hw.Item4, geo.Item1,
                             Math.Min(geo.Item2, hw.Item3 - 1), Math.Min(geo.Item3, hw.Item4 - 1),
                             Math.Min(geo.Item4, hw.Item3 - 1), Math.Min(geo.Item5, hw.Item4 - 1), geo.Item6, bits, relu, seed)
        where c.Valid
        select c;

    private static readonly Gen<FcCase> FcGen =
        Gen.Select(Gen.Int[1, 70], Gen.Int[1, 16], Gen.Int[2, 8], Gen.Bool, Gen.Int)
           .Select((k, n, bits, relu, seed) => new FcCase(k, n, bits, relu, seed));

    [Fact]
    public async Task Random_conv_layers_are_bit_exact_on_the_device()
    {
        int compared = 0;
        await ConvGen.SampleAsync(async c =>
        {
            int inputLen = c.C * c.H * c.W;
            compared += await CompareAsync(RandomLayerModels.Conv(c), inputLen, c.Seed, c.ToString());
        }, iter: Cases, threads: 1, print: c => c.ToString());
        output.WriteLine($"{Cases} conv cases, {compared} outputs compared; activation bits (in, out): {Combos()}");
        Assert.Equal(Cases * InputsPerCase, compared);
    }

    [Fact]
    public async Task Random_fully_connected_layers_are_bit_exact_on_the_device()
    {
        int compared = 0;
        await FcGen.SampleAsync(async c => compared += await CompareAsync(RandomLayerModels.Fc(c), c.K, c.Seed, c.ToString()),
                                iter: Cases, threads: 1, print: c => c.ToString());
        output.WriteLine($"{Cases} FC cases, {compared} outputs compared; activation bits (in, out): {Combos()}");
        Assert.Equal(Cases * InputsPerCase, compared);
    }

    private readonly Dictionary<(int, int), int> _combos = [];

    private string Combos() => string.Join(", ", _combos.OrderBy(k => k.Key).Select(k => $"{k.Key}×{k.Value}"));

    private async Task<int> CompareAsync(byte[] onnx, int inputLen, int seed, string what)
    {
        var graph = OnnxModel.Load(onnx, what);
        var calib = RandomLayerModels.Samples(16, inputLen, seed);
        var bits = int.Parse(what.Split("Bits = ")[1].Split(',')[0]);
        int inBits = (seed & 1) != 0 ? 16 : 8, outBits = (seed & 2) != 0 ? 16 : 8;
        _combos[(inBits, outBits)] = _combos.GetValueOrDefault((inBits, outBits)) + 1;
        var prepared = PreparedModel.Prepare(graph, calib);
        var q = prepared.Quantize(new QuantConfig
        {
            DefaultWeightBits = bits,
            // ActivationPoints: the graph input, then the layer ("conv"/"fc").
            ActivationBits = new Dictionary<string, int> { [prepared.ActivationPoints[0]] = inBits, [prepared.ActivationPoints[1]] = outBits },
        });
        var engine = new IntegerEngine(q.Blob);
        // Random bytes cover the whole int8/int16 range, including values calibration never saw.
        var rng = new Random(seed ^ 0x5EED);
        var inputs = Enumerable.Range(0, InputsPerCase).Select(_ =>
        {
            var b = new byte[q.InputBytes];
            rng.NextBytes(b);
            return b;
        }).ToList();
        var got = await device.RunAsync(q.Blob, inputs, q.OutputBytes);
        for (int i = 0; i < inputs.Count; i++)
        {
            var want = engine.Run(inputs[i]);
            Assert.True(want.AsSpan().SequenceEqual(got[i]), $"{what} input {i}: device {Convert.ToHexString(got[i])} vs engine {Convert.ToHexString(want)}");
        }
        return inputs.Count;
    }
}
