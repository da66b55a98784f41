namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// Decides whether a running trial should stop early, from the intermediate values reported so far (Optuna's
/// BasePruner). Called by <see cref="Trial.ShouldPrune"/> with a fresh snapshot of the trial. Pruners only see
/// single-objective studies: Optuna does not define pruning for several objectives.
/// </summary>
public interface IPruner
{
    /// <summary>True when the trial should be pruned now.</summary>
    bool Prune(Study study, FrozenTrial trial);
}
