using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Evaluation;

/// <summary>Top-1 accuracy of the float reference engine (the baseline every quantized model is compared to).</summary>
public static class FloatEvaluator
{
    /// <summary>Runs every sample through <see cref="FloatEngine"/> and scores argmax against the labels.</summary>
    public static double Accuracy(Graph graph, Dataset data)
    {
        var outs = new float[data.Count][];
        Parallel.For(0, data.Count, i => outs[i] = FloatEngine.RunSample(graph, data.X[i]));
        return Metrics.Top1(outs, data.Y);
    }
}
