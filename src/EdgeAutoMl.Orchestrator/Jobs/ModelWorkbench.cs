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

    /// <summary>Trial parameter holding the activation bits (8 or 16) of an activation point.</summary>
    public static string ActBitsParam(string point) => "abits." + point;

    /// <summary>
    /// The configuration a trial proposes: weight bits per layer in [MinBits, MaxBits], and
    /// activation bits per <see cref="SearchSettings.ActivationBits"/> ("8", "16", or "search":
    /// 8 or 16 per activation point, an ordinal parameter).
    /// </summary>
    public QuantConfig Suggest(EdgeAutoMl.Search.Trial trial, SearchSettings s)
    {
        var weights = Layers.ToDictionary(l => l.Name, l => trial.SuggestInt(SearchJob.BitsParam(l.Name), s.MinBits, s.MaxBits));
        var mode = ActivationBitsMode(s.ActivationBits);
        var acts = mode == 0
            ? Prepared.ActivationPoints.ToDictionary(p => p, p => trial.SuggestInt(ActBitsParam(p), 8, 16, step: 8))
            : new Dictionary<string, int>();
        return new QuantConfig { WeightBits = weights, ActivationBits = acts, DefaultActivationBits = mode == 0 ? 8 : mode };
    }

    /// <summary>Rebuilds a trial's configuration from its stored parameters (export); <paramref name="actBits"/> is the study's setting.</summary>
    public QuantConfig FromParams(IReadOnlyDictionary<string, object?> parameters, string actBits, string what)
    {
        int Get(string name) => parameters.TryGetValue(name, out var v) && v is not null
            ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"{what} has no parameter {name}");
        var mode = ActivationBitsMode(actBits);
        return new QuantConfig
        {
            WeightBits = Layers.ToDictionary(l => l.Name, l => Get(SearchJob.BitsParam(l.Name))),
            ActivationBits = mode == 0 ? Prepared.ActivationPoints.ToDictionary(p => p, p => Get(ActBitsParam(p))) : new Dictionary<string, int>(),
            DefaultActivationBits = mode == 0 ? 8 : mode,
        };
    }

    /// <summary>"8" → 8, "16" → 16, "search" → 0; anything else is an error naming the choices.</summary>
    public static int ActivationBitsMode(string text) => text switch
    {
        "8" => 8,
        "16" => 16,
        "search" => 0,
        _ => throw new ArgumentException($"--act-bits '{text}': expected 8, 16 or search"),
    };

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
