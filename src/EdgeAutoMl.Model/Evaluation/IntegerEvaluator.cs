using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Evaluation;

/// <summary>Top-1 accuracy of a quantized model's packed blob, run by <see cref="IntegerEngine"/>.</summary>
public static class IntegerEvaluator
{
    /// <summary>Dequantized outputs of every sample.</summary>
    public static float[][] Run(QuantizedModel model, IReadOnlyList<float[]> samples)
    {
        var engine = new IntegerEngine(model.Blob);
        var outs = new float[samples.Count][];
        Parallel.For(0, samples.Count, i => outs[i] = model.DequantizeOutput(engine.Run(model.QuantizeInput(samples[i]))));
        return outs;
    }

    /// <summary>Accuracy of the packed blob on <paramref name="data"/>.</summary>
    public static double Accuracy(QuantizedModel model, Dataset data) => Metrics.Top1(Run(model, data.X), data.Y);
}
