using EdgeAutoMl.Orchestrator.Measurement;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>The rungs of the fidelity ladder, cheapest first.</summary>
public enum Rung
{
    /// <summary>Packed flash and arena RAM against the board's budgets.</summary>
    Static,
    /// <summary>Accuracy in ONNX Runtime (QDQ) on a small subset of the validation set (cheap, noisy).</summary>
    Subset,
    /// <summary>Accuracy in ONNX Runtime (QDQ) and in the integer engine on the full validation set.</summary>
    Accuracy,
    /// <summary>Flash over serial, run, read cycles and current.</summary>
    Device,
}

/// <summary>Progress of a search, for progress bars and logs. Calls come from the job's thread.</summary>
public interface ISearchObserver
{
    /// <summary>The study is open; <paramref name="done"/> trials were finished before this run.</summary>
    void Started(string studyName, int done, int total, string rig) { }
    /// <summary>A trial entered a rung.</summary>
    void RungStarted(int trialNumber, Rung rung) { }
    /// <summary>A trial ended (Complete, Pruned or Fail) with what it measured and why it stopped.</summary>
    void TrialFinished(TrialOutcome outcome) { }
    /// <summary>A trial's device rung got a board of the pool (numbered from 1).</summary>
    void BoardAssigned(int trialNumber, int board) { }
    /// <summary>The study's Pareto front after a trial finished (complete, feasible trials only).</summary>
    void FrontChanged(IReadOnlyList<TrialOutcome> front) { }
    /// <summary>A line worth showing (rig started, device identified, retries...).</summary>
    void Info(string message) { }
}

/// <summary>How one trial ended.</summary>
public sealed record TrialOutcome(int Number, string State, IReadOnlyDictionary<string, int> Bits,
    TrialMetrics? Metrics, double[]? Values, string? Reason, bool FromCache);
