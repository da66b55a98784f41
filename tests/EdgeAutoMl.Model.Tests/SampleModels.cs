using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Loads and prepares each sample model once per test run.</summary>
internal static class SampleModels
{
    private static readonly Dictionary<string, Lazy<(Graph graph, Dataset val, PreparedModel prepared)>> Cache = new();

    public static (Graph graph, Dataset val, PreparedModel prepared) Get(string name)
    {
        Lazy<(Graph, Dataset, PreparedModel)> lazy;
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out lazy!))
                Cache[name] = lazy = new Lazy<(Graph, Dataset, PreparedModel)>(() => Load(name));
        }
        return lazy.Value;
    }

    private static (Graph, Dataset, PreparedModel) Load(string name)
    {
        var g = OnnxModel.Load(TestPaths.Sample($"{name}.onnx"));
        var val = Dataset.Load(TestPaths.Sample($"{name}.val.x.npy"), TestPaths.Sample($"{name}.val.y.npy"));
        var calib = Dataset.SplitSamples(NpyReader.ReadFloat32(TestPaths.Sample($"{name}.calib.x.npy")), name);
        return (g, val, PreparedModel.Prepare(g, calib, CalibrationMethod.MinMax));
    }
}
