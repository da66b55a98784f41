using System.CommandLine;
using System.Globalization;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Orchestrator.Measurement;
using EdgeAutoMl.Orchestrator.Rigs;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml evaluate</c>: one configuration, every rung, nothing stored.</summary>
internal static class EvaluateCommand
{
    public static Command Create()
    {
        var cmd = new Command("evaluate",
            "Measure one bit-width configuration: packed size, accuracy (ONNX Runtime on the QDQ model and the integer engine), " +
            "and on the device: output mismatches against the host engine, latency and energy.");
        var model = CommonOptions.Model();
        var data = CommonOptions.AddData(cmd);
        var board = CommonOptions.Board();
        var port = CommonOptions.Port();
        var monitor = CommonOptions.Monitor();
        var bits = new Option<string>("--bits") { Description = "Weight bits: one number for every layer (8), or NODE=BITS,... (others stay 8)", DefaultValueFactory = _ => "8" };
        var actBits = new Option<string>("--act-bits")
        {
            Description = "Activation bits: 8 or 16 for every activation, or NODE=BITS,... (others 8); NODE is the input's name or a node that " +
                          "requantizes (Conv, Gemm, Add, Mul, LUT ops, GlobalAveragePool, Concat); pools, Relu, Reshape follow their input",
            DefaultValueFactory = _ => "8",
        };
        var calibration = CommonOptions.Calibration();
        var noDevice = new Option<bool>("--no-device") { Description = "Stop after the accuracy rung (no board needed)" };
        var energyRuns = CommonOptions.EnergyRuns();
        var deviceSamples = CommonOptions.DeviceSamples();
        var fault = CommonOptions.SimFaultRate();
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { model, board, port, monitor, bits, actBits, calibration, noDevice, energyRuns, deviceSamples, fault, json }) cmd.Options.Add(o);

        cmd.SetAction((r, ct) => CliRunner.RunAsync(r.GetValue(json), async () =>
        {
            var modelPath = r.GetValue(model)!;
            if (!File.Exists(modelPath)) throw new FileNotFoundException($"model file not found: {modelPath}");
            var root = CliRunner.RepoRoot();
            var profile = BoardCatalog.Resolve(CommonOptions.BoardFor(r.GetValue(board), r.GetValue(port)!), root);
            var bench = ModelWorkbench.Load(modelPath, data(r), CommonOptions.ParseCalibration(r.GetValue(calibration)!));
            var config = WithActivationBits(ParseBits(r.GetValue(bits)!, bench.Layers.Select(l => l.Name).ToList()),
                                            r.GetValue(actBits)!, bench.Prepared.ActivationPoints);
            var evaluator = new ConfigEvaluator(bench, profile);
            var (q, m) = evaluator.Static(config);
            m = evaluator.Accuracy(q, m);
            string? rig = null;
            if (!r.GetValue(noDevice))
            {
                await using var device = await DeviceSession.OpenAsync(profile, r.GetValue(port)!, r.GetValue(monitor)!, root, r.GetValue(fault), ct);
                rig = device.Description;
                (m, _) = await evaluator.DeviceAsync(q, m, device, r.GetValue(deviceSamples), r.GetValue(energyRuns), ct);
            }
            if (r.GetValue(json)) JsonOut.Write(new { model = modelPath, board = profile.Id, device = rig, bits = config.WeightBits,
                                                act_bits = bench.Prepared.ActivationPoints.ToDictionary(p => p, config.ActivationBitsFor), metrics = m.ToDictionary() });
            else Print(modelPath, profile.Id, rig, config, m);
            return 0;
        }));
        return cmd;
    }

    /// <summary>"8" for all layers, or "conv1=4,fc=2" (the rest 8); names must be layers of the model.</summary>
    public static QuantConfig ParseBits(string text, IReadOnlyList<string> layers)
    {
        static int Check(int b, string where) => b is >= 2 and <= 8 ? b : throw new ArgumentException($"--bits {where}: bit-width {b} outside 2..8");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var all))
            return new QuantConfig { WeightBits = layers.ToDictionary(l => l, _ => Check(all, text)) };
        var map = layers.ToDictionary(l => l, _ => 8);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b))
                throw new ArgumentException($"--bits '{part}': expected NODE=BITS");
            if (!map.ContainsKey(kv[0])) throw new ArgumentException($"--bits: '{kv[0]}' is not a quantizable layer; layers: {string.Join(", ", layers)}");
            map[kv[0]] = Check(b, part);
        }
        return new QuantConfig { WeightBits = map };
    }

    /// <summary>"8" or "16" for every activation, or "input=16,conv1=16" (the rest 8); names must be activation points of the model.</summary>
    public static QuantConfig WithActivationBits(QuantConfig config, string text, IReadOnlyList<string> points)
    {
        static int Check(int b, string where) => b is 8 or 16 ? b : throw new ArgumentException($"--act-bits {where}: {b} bits, expected 8 or 16");
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var all))
            return new QuantConfig { WeightBits = config.WeightBits, DefaultWeightBits = config.DefaultWeightBits, WeightScale = config.WeightScale,
                                     BiasCorrection = config.BiasCorrection, DefaultActivationBits = Check(all, text) };
        var map = new Dictionary<string, int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2 || !int.TryParse(kv[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b))
                throw new ArgumentException($"--act-bits '{part}': expected NODE=BITS");
            if (!points.Contains(kv[0]))
                throw new ArgumentException($"--act-bits: '{kv[0]}' does not requantize its output; activation points: {string.Join(", ", points)}");
            map[kv[0]] = Check(b, part);
        }
        return new QuantConfig { WeightBits = config.WeightBits, DefaultWeightBits = config.DefaultWeightBits, WeightScale = config.WeightScale,
                                 BiasCorrection = config.BiasCorrection, ActivationBits = map };
    }

    private static void Print(string model, string board, string? rig, QuantConfig config, TrialMetrics m)
    {
        var t = new Table().Title($"{Path.GetFileName(model)} on {board}{(rig is null ? "" : $" ({rig})")}").AddColumn("metric").AddColumn("value");
        t.AddRow("weight bits", Markup.Escape(string.Join(" ", config.WeightBits.Select(kv => $"{kv.Key}={kv.Value}"))));
        t.AddRow("activation bits", Markup.Escape(config.ActivationBits.Count == 0 ? $"{config.DefaultActivationBits}"
            : string.Join(" ", config.ActivationBits.Select(kv => $"{kv.Key}={kv.Value}")) + $" (others {config.DefaultActivationBits})"));
        foreach (var (k, v) in m.ToDictionary())
            t.AddRow(k, Markup.Escape(Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""));
        AnsiConsole.Write(t);
    }
}
