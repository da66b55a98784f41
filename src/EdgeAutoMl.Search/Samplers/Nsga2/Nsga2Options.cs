namespace EdgeAutoMl.Search.Samplers.Nsga2;

/// <summary>NSGA-II settings; defaults are Optuna's NSGAIISampler defaults.</summary>
public sealed record Nsga2Options
{
    /// <summary>Individuals per generation (Optuna: 50).</summary>
    public int PopulationSize { get; init; } = 50;
    /// <summary>Per-param mutation probability; null = 1 / number of params (Optuna's default).</summary>
    public double? MutationProb { get; init; }
    /// <summary>Probability that a child is bred by crossover rather than copied from one parent (Optuna: 0.9).</summary>
    public double CrossoverProb { get; init; } = 0.9;
    /// <summary>Uniform crossover: probability of taking each param from the first parent (Optuna: 0.5).</summary>
    public double SwappingProb { get; init; } = 0.5;
    /// <summary>Use constraint-domination when trials carry constraints (system attr <c>constraints</c>); default true.</summary>
    public bool ConsiderConstraints { get; init; } = true;

    internal void Validate()
    {
        if (PopulationSize < 2) throw new ArgumentOutOfRangeException(nameof(PopulationSize), "population_size must be >= 2.");
        if (MutationProb is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(MutationProb), "mutation_prob must be null or within [0, 1].");
        if (CrossoverProb is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(CrossoverProb), "crossover_prob must be within [0, 1].");
        if (SwappingProb is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(SwappingProb), "swapping_prob must be within [0, 1].");
    }
}
