using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Packing;
using EdgeAutoMl.Model.Qdq;

namespace EdgeAutoMl.Model.Quantization;

/// <summary>
/// The result of one quantization: the packed blob (what the firmware runs), its static
/// costs, and helpers to quantize inputs / dequantize outputs the way the blob expects.
/// </summary>
public sealed class QuantizedModel
{
    internal QuantizedModel(PreparedModel prepared, QuantConfig config, IntegerGraph graph)
    {
        Prepared = prepared;
        Config = config;
        Graph = graph;
        var packed = ModelPacker.Pack(graph);
        Blob = packed.Blob;
        Costs = new StaticCosts(packed.Blob.Length, packed.ArenaBytes, packed.WeightBytes,
                                prepared.Layers.Sum(l => l.Macs));
    }

    /// <summary>The model this was quantized from.</summary>
    public PreparedModel Prepared { get; }
    /// <summary>The configuration used.</summary>
    public QuantConfig Config { get; }
    /// <summary>The integer graph before packing (tensors with scales, ops with weights).</summary>
    public IntegerGraph Graph { get; }
    /// <summary>The packed model blob (MODEL_FORMAT.md, version 1).</summary>
    public byte[] Blob { get; }
    /// <summary>Flash, RAM, weight bytes and MACs.</summary>
    public StaticCosts Costs { get; }

    /// <summary>Quantization of the input tensor.</summary>
    public QuantParams InputQuant => Graph.Tensors[Graph.Input].Quant;
    /// <summary>Quantization of the output tensor.</summary>
    public QuantParams OutputQuant => Graph.Tensors[Graph.Output].Quant;
    /// <summary>Bytes of one input (1 per int8 element, 2 per int16 element, little-endian).</summary>
    public int InputBytes => Graph.Tensors[Graph.Input].Bytes;
    /// <summary>Bytes of one output (1 per int8 element, 2 per int16 element, little-endian).</summary>
    public int OutputBytes => Graph.Tensors[Graph.Output].Bytes;

    /// <summary>Quantizes a float sample to the blob's input bytes (round half away from zero, clamp; int16 little-endian).</summary>
    public byte[] QuantizeInput(float[] sample)
    {
        var t = Graph.Tensors[Graph.Input];
        if (sample.Length != t.Elements) throw new ArgumentException($"sample has {sample.Length} values, the model input needs {t.Elements}");
        var q = InputQuant;
        var bytes = new byte[t.Bytes];
        for (int i = 0; i < sample.Length; i++)
        {
            int v = q.Quantize(sample[i]);
            if (q.Bits == 16) { bytes[2 * i] = (byte)v; bytes[2 * i + 1] = (byte)(v >> 8); }
            else bytes[i] = (byte)v;
        }
        return bytes;
    }

    /// <summary>Dequantizes the blob's output bytes.</summary>
    public float[] DequantizeOutput(byte[] output)
    {
        if (output.Length != OutputBytes) throw new ArgumentException($"output has {output.Length} bytes, expected {OutputBytes}");
        var q = OutputQuant;
        return q.Bits == 16
            ? Enumerable.Range(0, output.Length / 2).Select(i => q.Dequantize((short)(output[2 * i] | (output[2 * i + 1] << 8)))).ToArray()
            : output.Select(b => q.Dequantize((sbyte)b)).ToArray();
    }

    /// <summary>Runs one float sample through the integer engine on the packed blob; returns dequantized outputs.</summary>
    public float[] Run(float[] sample) => ApplyHostOps(DequantizeOutput(IntegerEngine.Run(Blob, QuantizeInput(sample))));

    /// <summary>
    /// What runs on the host after the device: a trailing Softmax (over the whole output, the
    /// classifier-head case the quantizer accepts). Identity when the graph has none.
    /// </summary>
    public float[] ApplyHostOps(float[] output)
    {
        if (Graph.HostSoftmax == null) return output;
        float max = output.Max();
        var e = output.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => (float)(v / sum)).ToArray();
    }

    /// <summary>A QDQ ONNX model (opset 13) that ONNX Runtime runs with the same quantization.</summary>
    public byte[] ExportQdq() => QdqExporter.Export(this);
}
