namespace EdgeAutoMl.Search.Pruners;

/// <summary>Never prunes (Optuna's NopPruner); the default pruner of a study is <see cref="MedianPruner"/>, as in Optuna.</summary>
public sealed class NopPruner : IPruner
{
    /// <inheritdoc />
    public bool Prune(Study study, FrozenTrial trial) => false;
}
