using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Reference;

namespace EdgeAutoMl.Model.Tests;

public class GraphTransformTests
{
    [Fact]
    public void BatchNormFoldingPreservesFloatOutputs()
    {
        var (graph, val, prepared) = SampleModels.Get("digits-cnn");
        Assert.Contains(graph.Nodes, n => n.OpType == "BatchNormalization");
        Assert.DoesNotContain(prepared.Folded.Nodes, n => n.OpType == "BatchNormalization");
        double worst = 0;
        for (int i = 0; i < 100; i++)
        {
            var a = FloatEngine.RunSample(graph, val.X[i]);
            var b = FloatEngine.RunSample(prepared.Folded, val.X[i]);
            for (int j = 0; j < a.Length; j++) worst = Math.Max(worst, Math.Abs(a[j] - b[j]) / (1 + Math.Abs(a[j])));
        }
        Assert.True(worst < 1e-5, $"folded and unfolded outputs differ by {worst}");
    }

    [Fact]
    public void LayersReportParamsAndMacsAsTheCards()
    {
        var mlp = SampleModels.Get("digits-mlp").prepared;
        Assert.Equal(new[] { 2048L, 512, 160 }, mlp.Layers.Select(l => l.Macs));
        Assert.Equal(2778, mlp.Layers.Sum(l => l.Params));
        var cnn = SampleModels.Get("digits-cnn").prepared;
        Assert.Equal(new[] { "/conv1/Conv", "/conv2/Conv", "/fc/Gemm" }, cnn.Layers.Select(l => l.Name));
        Assert.Equal(new[] { 4608L, 18432, 160 }, cnn.Layers.Select(l => l.Macs));
        Assert.Equal(1418, cnn.Layers.Sum(l => l.Params)); // the card's after_bn_folding
    }
}
