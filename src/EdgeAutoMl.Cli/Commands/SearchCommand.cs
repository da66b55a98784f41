using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Orchestrator.Jobs;
using EdgeAutoMl.Orchestrator.Objectives;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml search</c>: the main job.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var cmd = new Command("search",
            "Search per-layer weight bit-widths (2..8) for a model, measuring each candidate up the fidelity ladder " +
            "(static fit, accuracy in ONNX Runtime and the integer engine, then on the device: latency and energy). " +
            "Every trial is stored as it goes (Optuna-compatible tables); ends with the Pareto front.");
        var model = CommonOptions.Model();
        var data = CommonOptions.AddData(cmd);
        var board = CommonOptions.Board();
        var port = CommonOptions.Port();
        var monitor = CommonOptions.Monitor();
        var objectives = new Option<string>("--objectives") { Description = "Comma list of METRIC:max|min; metrics: accuracy, energy, latency, flash, ram", DefaultValueFactory = _ => "accuracy:max,energy:min,latency:min,flash:min" };
        var constraints = new Option<string[]>("--constraint") { Description = "Hard constraint, repeatable: \"accuracy>=0.95\", \"flash<=20000\"", AllowMultipleArgumentsPerToken = false };
        var sampler = new Option<string>("--sampler") { Description = "tpe (uni- and multi-objective; Optuna-named options, e.g. tpe:multivariate,group,constant_liar or tpe:normalized_kernels=true), motpe, nsga2, gp (one objective), qmc, grid (every weight bit-width combination), random", DefaultValueFactory = _ => "tpe" };
        var trials = new Option<int>("--trials", "-n") { Description = "Finished trials the study should hold", DefaultValueFactory = _ => 20 };
        var storage = new Option<string>("--storage") { Description = "sqlite:///FILE.db (default) or :memory:", DefaultValueFactory = _ => "sqlite:///edgeautoml.db" };
        var schema = new Option<string?>("--optuna-schema") { Description = "Optuna schema of a new SQLite file: v3.2.0.a (default, Optuna >= 3.2) or v3.0.0.d (Optuna 3.0/3.1, e.g. Debian 12); an existing file keeps its own" };
        var study = new Option<string?>("--study") { Description = "Study name (default: the model file's name)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the study if it exists (interrupted trials retried, finished ones kept), else create it" };
        var seed = new Option<int>("--seed") { Description = "Sampler seed", DefaultValueFactory = _ => 0 };
        var minBits = new Option<int>("--min-bits") { Description = "Lowest weight bit-width to try", DefaultValueFactory = _ => 2 };
        var maxBits = new Option<int>("--max-bits") { Description = "Highest weight bit-width to try", DefaultValueFactory = _ => 8 };
        var actBits = new Option<string>("--act-bits") { Description = "Activation bits: 8 or 16 everywhere, or search (8 or 16 per activation point, chosen by the sampler)", DefaultValueFactory = _ => "8" };
        var energyRuns = CommonOptions.EnergyRuns();
        var deviceSamples = CommonOptions.DeviceSamples();
        var fault = CommonOptions.SimFaultRate();
        var boards = new Option<int>("--boards") { Description = "Simulated boards measuring in parallel with --port sim (each its own firmware and monitor processes); with real boards list the ports: --port A,B", DefaultValueFactory = _ => 1 };
        var boardsFile = new Option<string?>("--boards-file") { Description = "File watched while the study runs: each new line (sim, or PORT [MONITOR]) is a board joining the pool" };
        var deviceAttempts = new Option<int>("--device-attempts") { Description = "Boards a trial's device rung may try when boards stop answering, before the trial fails", DefaultValueFactory = _ => 3 };
        var energyMaxCv = new Option<double>("--energy-max-cv") { Description = "Energy spread (std/mean over trigger windows) above which a measurement is repeated and the trial flagged energy_noisy", DefaultValueFactory = _ => 0.10 };
        var energyRepeats = new Option<int>("--energy-repeats") { Description = "Extra measurements allowed for a noisy energy reading", DefaultValueFactory = _ => 2 };
        var simNoise = new Option<double?>("--sim-noise-ua") { Description = "Current noise of the simulated PPK2 in µA (default: the board profile's simulator.noise_ua, else 0)" };
        var pruner = new Option<string>("--pruner") { Description = $"Pruner asked at the accuracy rungs (subset, then full) whether to stop a trial before the device: {PrunerFactory.Names}; pruning judges accuracy. Default: worst quarter after 10 completed trials", DefaultValueFactory = _ => PrunerFactory.Default };
        var subset = new Option<int>("--subset-samples") { Description = "Validation samples of the cheap accuracy rung before the full one (0: no subset rung)", DefaultValueFactory = _ => 100 };
        var warmStart = new Option<string?>("--warm-start") { Description = "Seed this new study from an earlier study on the same model and search space: its finished trials are copied when model, data, calibration, board and firmware match (no re-measuring), otherwise its best configurations are enqueued and measured again" };
        var warmStorage = new Option<string?>("--warm-start-storage") { Description = "Storage of the --warm-start study (default: --storage)" };
        var warmTop = new Option<int>("--warm-start-top") { Description = "Best configurations of the --warm-start study enqueued when its measurements cannot be copied", DefaultValueFactory = _ => 8 };
        var json = CommonOptions.Json();
        var calibration = CommonOptions.Calibration();
        foreach (var o in new Option[] { pruner, subset, warmStart, warmStorage, warmTop, calibration, boards, boardsFile, deviceAttempts, energyMaxCv, energyRepeats, simNoise, model, board, port, monitor, objectives, constraints, sampler, trials, storage, schema, study, resume, seed, minBits, maxBits, actBits, energyRuns, deviceSamples, fault, json })
            cmd.Options.Add(o);

        cmd.SetAction((r, ct) => CliRunner.RunAsync(r.GetValue(json), async () =>
        {
            int lo = r.GetValue(minBits), hi = r.GetValue(maxBits);
            if (lo < 2 || hi > 8 || lo > hi) throw new ArgumentException($"--min-bits/--max-bits: need 2 <= min <= max <= 8, got {lo}..{hi}");
            if (r.GetValue(trials) < 1) throw new ArgumentException("--trials must be at least 1");
            var settings = new SearchSettings
            {
                ModelPath = r.GetValue(model)!,
                Data = data(r),
                Board = CommonOptions.BoardFor(r.GetValue(board), r.GetValue(port)!),
                Port = r.GetValue(port)!,
                Monitor = r.GetValue(monitor)!,
                Objectives = Objective.ParseList(r.GetValue(objectives)!),
                Constraints = (r.GetValue(constraints) ?? []).Select(Constraint.Parse).ToList(),
                Sampler = r.GetValue(sampler)!,
                Trials = r.GetValue(trials),
                Storage = r.GetValue(storage)!,
                OptunaSchema = r.GetValue(schema) switch
                {
                    null => null,
                    "v3.2.0.a" => EdgeAutoMl.Storage.OptunaSchemaVersion.V3_2_0_a,
                    "v3.0.0.d" => EdgeAutoMl.Storage.OptunaSchemaVersion.V3_0_0_d,
                    var x => throw new ArgumentException($"--optuna-schema '{x}': expected v3.2.0.a or v3.0.0.d"),
                },
                StudyName = r.GetValue(study),
                Resume = r.GetValue(resume),
                Seed = r.GetValue(seed),
                Calibration = CommonOptions.ParseCalibration(r.GetValue(calibration)!),
                MinBits = lo, MaxBits = hi,
                ActivationBits = ModelWorkbench.ActivationBitsMode(r.GetValue(actBits)!) >= 0 ? r.GetValue(actBits)! : "8",
                EnergyRuns = r.GetValue(energyRuns),
                DeviceSamples = r.GetValue(deviceSamples),
                SimFaultRate = r.GetValue(fault),
                BoardCount = r.GetValue(boards),
                BoardsFile = r.GetValue(boardsFile),
                DeviceAttempts = r.GetValue(deviceAttempts) >= 1 ? r.GetValue(deviceAttempts) : throw new ArgumentException("--device-attempts must be at least 1"),
                EnergyMaxCv = r.GetValue(energyMaxCv) > 0 ? r.GetValue(energyMaxCv) : throw new ArgumentException("--energy-max-cv must be > 0"),
                EnergyRepeats = r.GetValue(energyRepeats) >= 0 ? r.GetValue(energyRepeats) : throw new ArgumentException("--energy-repeats must be >= 0"),
                Pruner = PrunerFactory.Validate(r.GetValue(pruner)!),
                WarmStart = r.GetValue(warmStart),
                WarmStartStorage = r.GetValue(warmStorage),
                WarmStartTop = r.GetValue(warmTop) >= 1 ? r.GetValue(warmTop) : throw new ArgumentException("--warm-start-top must be at least 1"),
                SubsetSamples = r.GetValue(subset) >= 0 ? r.GetValue(subset) : throw new ArgumentException("--subset-samples must be >= 0"),
                SimNoiseMicroamps = r.GetValue(simNoise) is { } n && n < 0 ? throw new ArgumentException("--sim-noise-ua must be >= 0") : r.GetValue(simNoise),
            };
            if (!File.Exists(settings.ModelPath)) throw new FileNotFoundException($"model file not found: {settings.ModelPath}");
            return await RunAndPrintAsync(settings, r.GetValue(json), ct);
        }));
        return cmd;
    }

    /// <summary>Runs the search with the live progress view, then prints the result (JSON or the Pareto table).</summary>
    internal static async Task<int> RunAndPrintAsync(SearchSettings settings, bool json, CancellationToken ct)
    {
        var view = new SearchProgressView();
        var result = await view.RunAsync(obs => SearchJob.RunAsync(settings, CliRunner.RepoRoot(), obs, ct));
        if (json) JsonOut.Write(ResultDocument.From(result));
        else ParetoTable.Print(result);
        return 0;
    }
}
