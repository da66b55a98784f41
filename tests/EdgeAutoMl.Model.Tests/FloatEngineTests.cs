using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Onnx;

namespace EdgeAutoMl.Model.Tests;

public class FloatEngineTests
{
    [Theory]
    [InlineData("digits-mlp", 434)]
    [InlineData("digits-cnn", 443)]
    public void FloatEngineReproducesTheCardAccuracy(string model, int correctOnCard)
    {
        var g = OnnxModel.Load(TestPaths.Sample($"{model}.onnx"));
        var val = Dataset.Load(TestPaths.Sample($"{model}.val.x.npy"), TestPaths.Sample($"{model}.val.y.npy"));
        Assert.Equal(450, val.Count);
        var acc = FloatEvaluator.Accuracy(g, val);
        Assert.Equal(correctOnCard / 450.0, acc, 12);
    }
}
