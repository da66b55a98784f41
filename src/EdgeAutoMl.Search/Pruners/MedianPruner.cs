namespace EdgeAutoMl.Search.Pruners;

/// <summary>
/// Prunes a trial whose best intermediate value is worse than the median of the completed trials at the same step
/// (Optuna's MedianPruner = <see cref="PercentilePruner"/> at 50; defaults 5, 0, 1, 1). The default pruner of a study.
/// </summary>
public sealed class MedianPruner : PercentilePruner
{
    /// <summary>Creates the pruner with Optuna's defaults unless told otherwise.</summary>
    public MedianPruner(int nStartupTrials = 5, int nWarmupSteps = 0, int intervalSteps = 1, int nMinTrials = 1)
        : base(50.0, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials) { }
}
