namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// Passes calls on to an observer one at a time: with a board pool, trials report from several
/// threads, while progress views (Spectre.Console) expect one caller.
/// </summary>
public sealed class SerializedObserver(ISearchObserver inner) : ISearchObserver
{
    private readonly object _lock = new();

    /// <inheritdoc/>
    public void Started(string studyName, int done, int total, string rig) { lock (_lock) inner.Started(studyName, done, total, rig); }
    /// <inheritdoc/>
    public void RungStarted(int trialNumber, Rung rung) { lock (_lock) inner.RungStarted(trialNumber, rung); }
    /// <inheritdoc/>
    public void TrialFinished(TrialOutcome outcome) { lock (_lock) inner.TrialFinished(outcome); }
    /// <inheritdoc/>
    public void BoardAssigned(int trialNumber, int board) { lock (_lock) inner.BoardAssigned(trialNumber, board); }
    /// <inheritdoc/>
    public void FrontChanged(IReadOnlyList<TrialOutcome> front) { lock (_lock) inner.FrontChanged(front); }
    /// <inheritdoc/>
    public void Info(string message) { lock (_lock) inner.Info(message); }
}
