using EdgeAutoMl.Model;
using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// The model side of a search, loaded once: the graph, the validation set, the calibrated
/// model ready to quantize, and each layer's name. Everything a trial needs from the Model
/// project goes through here so the job itself stays about the ladder.
/// </summary>
public sealed class ModelWorkbench
{
    public required Graph Graph { get; init; }
    public required PreparedModel Prepared { get; init; }
    public required Dataset Validation { get; init; }
    /// <summary>Quantizable layers (Conv/Gemm) in graph order.</summary>
    public IReadOnlyList<LayerInfo> Layers => Prepared.Layers;

    /// <summary>Loads model and data and calibrates; errors name the file and the cause.</summary>
    public static ModelWorkbench Load(string modelPath, DataSource data, CalibrationMethod calibration = CalibrationMethod.MinMax)
    {
        data.Validate();
        var graph = OnnxModel.Load(modelPath);
        var val = data.NpzPath is { } npz ? Dataset.LoadNpz(npz) : Dataset.Load(data.XPath!, data.YPath!);
        var calib = data.CalibPath is { } c ? Dataset.SplitSamples(NpyReader.ReadFloat32(c), c) : val.X;
        var prepared = PreparedModel.Prepare(graph, calib, calibration);
        return new ModelWorkbench { Graph = graph, Prepared = prepared, Validation = val };
    }
}
