using EdgeAutoMl.Model.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeAutoMl.Model.Evaluation;

/// <summary>Runs ONNX models (e.g. the QDQ export) with ONNX Runtime on the CPU.</summary>
public static class OrtEvaluator
{
    /// <summary>
    /// Session options for using ORT as a reference: ORT_ENABLE_BASIC, one intra-op thread.
    /// Why not EXTENDED: it fuses DQ→Gemm/Conv→Q into int8 kernels that, on x86 CPUs without
    /// VNNI (AVX2 only, as on our CI), use u8·s8 pair sums saturating at int16; with full 8-bit
    /// weights that moved digits-mlp outputs by up to 23 steps (7-bit weights: exact). BASIC
    /// keeps the QDQ semantics (float math on dequantized values) and also avoids the
    /// MatMulNBits fusion STACK.md warns about.
    /// </summary>
    public static SessionOptions ReferenceOptions()
    {
        var o = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, IntraOpNumThreads = 1 };
        o.AddSessionConfigEntry("session.qdq_matmulnbits_accuracy_level", "0");
        return o;
    }

    /// <summary>Runs every sample (batched) and returns one flattened output row per sample.</summary>
    public static float[][] Run(byte[] onnx, IReadOnlyList<float[]> samples, int[] sampleShape, int batchSize = 64)
    {
        using var options = ReferenceOptions();
        using var session = new InferenceSession(onnx, options);
        string input = session.InputMetadata.Keys.Single();
        var results = new List<float[]>(samples.Count);
        int per = sampleShape.Aggregate(1, (a, b) => a * b);
        for (int start = 0; start < samples.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, samples.Count - start);
            var data = new float[n * per];
            for (int i = 0; i < n; i++) samples[start + i].CopyTo(data, i * per);
            var tensor = new DenseTensor<float>(data, [n, .. sampleShape]);
            using var outs = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
            var y = outs.First().AsTensor<float>().ToArray();
            int outPer = y.Length / n;
            for (int i = 0; i < n; i++) results.Add(y.AsSpan(i * outPer, outPer).ToArray());
        }
        return [.. results];
    }

    /// <summary>Top-1 accuracy of the ONNX model on <paramref name="data"/>.</summary>
    public static double Accuracy(byte[] onnx, Dataset data) =>
        Metrics.Top1(Run(onnx, data.X, data.SampleShape), data.Y);
}
