using EdgeAutoMl.Orchestrator.Objectives;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>Where the validation and calibration data come from.</summary>
/// <param name="XPath">.npy of float32 inputs (N, ...).</param>
/// <param name="YPath">.npy of int64 labels (N).</param>
/// <param name="NpzPath">.npz with arrays x and y (instead of the two .npy files).</param>
/// <param name="CalibPath">.npy of calibration inputs; without it the first samples of x are used.</param>
public sealed record DataSource(string? XPath, string? YPath, string? NpzPath, string? CalibPath)
{
    /// <summary>Checks that exactly one of (x,y) or npz is given, naming what is missing.</summary>
    public void Validate()
    {
        if (NpzPath is null && (XPath is null || YPath is null))
            throw new ArgumentException("data: give --data D.npz, or both --x X.npy and --y Y.npy");
        if (NpzPath is not null && (XPath is not null || YPath is not null))
            throw new ArgumentException("data: give either --data or --x/--y, not both");
    }
}

/// <summary>Everything one <c>edgeautoml search</c> (or <c>evaluate</c>) needs.</summary>
public sealed record SearchSettings
{
    public required string ModelPath { get; init; }
    public required DataSource Data { get; init; }
    /// <summary>Board id (a file in boards/) or a path to a board profile JSON.</summary>
    public string Board { get; init; } = "sim-stm32f405";
    /// <summary>"sim" (host-port firmware on a pseudo-terminal) or a serial device path.</summary>
    public string Port { get; init; } = "sim";
    /// <summary>"sim" (simulated PPK2) or ppk2:PORT.</summary>
    public string Monitor { get; init; } = "sim";
    public IReadOnlyList<Objective> Objectives { get; init; } = Objective.Defaults;
    public IReadOnlyList<Constraint> Constraints { get; init; } = [];
    public string Sampler { get; init; } = "tpe";
    public int Trials { get; init; } = 20;
    public string Storage { get; init; } = "sqlite:///edgeautoml.db";
    /// <summary>Optuna schema for a new SQLite file (null: v3.2.0.a); an existing file keeps its own.</summary>
    public EdgeAutoMl.Storage.OptunaSchemaVersion? OptunaSchema { get; init; }
    /// <summary>Study name; default derived from the model file name.</summary>
    public string? StudyName { get; init; }
    /// <summary>Continue the study if it exists (interrupted trials are retried), else create it — Optuna's load_if_exists.</summary>
    public bool Resume { get; init; }
    public int Seed { get; init; } = 0;
    /// <summary>How activation ranges are calibrated (min/max, percentile, or MSE-optimal clipping).</summary>
    public EdgeAutoMl.Model.Calibration.CalibrationMethod Calibration { get; init; } = EdgeAutoMl.Model.Calibration.CalibrationMethod.MinMax;
    /// <summary>Inferences per energy measurement (trigger windows averaged).</summary>
    public int EnergyRuns { get; init; } = 20;
    /// <summary>Validation samples run on the device to count output mismatches; null = all.</summary>
    public int? DeviceSamples { get; init; }
    /// <summary>Lowest weight bit-width the search may pick.</summary>
    public int MinBits { get; init; } = 2;
    /// <summary>Highest weight bit-width the search may pick.</summary>
    public int MaxBits { get; init; } = 8;
    /// <summary>Activation bits: "8" or "16" for every activation, or "search" (8 or 16 per activation point, chosen by the sampler).</summary>
    public string ActivationBits { get; init; } = "8";
    /// <summary>Probability of a corrupted/dropped/duplicated byte on the simulated line (tests).</summary>
    public double SimFaultRate { get; init; }

    /// <summary>Simulated boards in the pool with <c>--port sim</c> (each its own firmware and monitor processes).</summary>
    public int BoardCount { get; init; } = 1;
    /// <summary>Boards a trial's device rung may try before it fails (a board that stops answering hands the trial on).</summary>
    public int DeviceAttempts { get; init; } = 3;
    /// <summary>Energy spread (std/mean over trigger windows) above which a measurement is repeated.</summary>
    public double EnergyMaxCv { get; init; } = 0.10;
    /// <summary>Extra measurements allowed when the spread is above <see cref="EnergyMaxCv"/>.</summary>
    public int EnergyRepeats { get; init; } = 2;
    /// <summary>Current noise of the simulated PPK2 in µA; null = the board profile's simulator.noise_ua (default 0).</summary>
    public double? SimNoiseMicroamps { get; init; }
    /// <summary>A file of serial ports, one per line, watched while the study runs: each new line is a board joining the pool.</summary>
    public string? BoardsFile { get; init; }

    /// <summary>
    /// Validation samples of the cheap accuracy rung (ONNX Runtime on the first N samples) between the
    /// static fit and the full accuracy; 0 (or N ≥ the validation set) skips that rung.
    /// </summary>
    public int SubsetSamples { get; init; } = 100;
    /// <summary>Pruner asked at the accuracy rungs: none, median, percentile[:P], sha, hyperband (see <see cref="PrunerFactory"/>).</summary>
    public string Pruner { get; init; } = PrunerFactory.Default;
    /// <summary>An earlier study whose trials seed this one (copied when the measurements carry over, else re-measured).</summary>
    public string? WarmStart { get; init; }
    /// <summary>Storage of <see cref="WarmStart"/>; null = the same storage as this study.</summary>
    public string? WarmStartStorage { get; init; }
    /// <summary>How many of the earlier study's best configurations are enqueued when its measurements cannot be copied.</summary>
    public int WarmStartTop { get; init; } = 8;

    /// <summary>
    /// Join an existing study as a worker (<c>edgeautoml worker</c>): load it, never create it, and run trials until the
    /// study-wide budget is spent. The settings come from the study (<see cref="StudySettings"/>).
    /// </summary>
    public bool Join { get; init; }

    /// <summary>Study name used when none is given: the model file's name.</summary>
    public string EffectiveStudyName => StudyName ?? Path.GetFileNameWithoutExtension(ModelPath);
}
