namespace EdgeAutoMl.Bench;

/// <summary>
/// A benchmark problem, split in two so the runner can time the sampler alone: <see cref="Suggest"/> asks the trial
/// for every param (sampler work) and returns them; <see cref="Evaluate"/> computes the objective values (not timed).
/// All objectives are minimised. bench/optuna_compare.py implements the same functions for Optuna.
/// </summary>
public sealed record BenchmarkFunction
{
    /// <summary>Name used on the command line (lower case).</summary>
    public required string Name { get; init; }
    /// <summary>Number of objectives (all minimised).</summary>
    public required int Objectives { get; init; }
    /// <summary>Suggests every param and returns their values.</summary>
    public required Func<Search.Trial, double[]> Suggest { get; init; }
    /// <summary>Objective values of suggested params.</summary>
    public required Func<double[], double[]> Evaluate { get; init; }
    /// <summary>Hypervolume reference point (multi-objective only).</summary>
    public double[]? ReferencePoint { get; init; }
    /// <summary>Known optimum (single objective) or the hypervolume of the true front, for context in reports.</summary>
    public double? Optimum { get; init; }
}
