using EdgeAutoMl.Search.Distributions;

namespace EdgeAutoMl.Search;

/// <summary>
/// Where studies and trials live (Optuna's BaseStorage). Defined here so the search core depends on
/// no database; implementations live in EdgeAutoMl.Storage. Every write must be durable before it
/// returns. Implementations must be safe for concurrent use from several threads; storages shared
/// between processes must make <see cref="ClaimWaitingTrial"/> and <see cref="SetTrialStateValues"/> atomic.
/// Attribute values are JSON values (null, bool, integer, float, string, list, string-keyed dictionary)
/// and come back as null/bool/long/double/string/List&lt;object?&gt;/Dictionary&lt;string, object?&gt;.
/// </summary>
public interface IStorage
{
    // ---- studies ----

    /// <summary>Creates a study and returns its id.</summary>
    /// <exception cref="DuplicatedStudyException">A study with this name exists.</exception>
    int CreateNewStudy(IReadOnlyList<StudyDirection> directions, string studyName);

    /// <summary>Deletes a study with all its trials.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    void DeleteStudy(int studyId);

    /// <summary>Study id for a name.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    int GetStudyIdFromName(string studyName);

    /// <summary>Study name for an id.</summary>
    /// <exception cref="StudyNotFoundException">No such study.</exception>
    string GetStudyNameFromId(int studyId);

    /// <summary>Names of all studies, in creation order.</summary>
    IReadOnlyList<string> GetAllStudyNames();

    /// <summary>One direction per objective.</summary>
    IReadOnlyList<StudyDirection> GetStudyDirections(int studyId);

    /// <summary>Sets (or replaces) a study user attribute.</summary>
    void SetStudyUserAttr(int studyId, string key, object? value);

    /// <summary>Sets (or replaces) a study system attribute.</summary>
    void SetStudySystemAttr(int studyId, string key, object? value);

    /// <summary>All study user attributes.</summary>
    IReadOnlyDictionary<string, object?> GetStudyUserAttrs(int studyId);

    /// <summary>All study system attributes.</summary>
    IReadOnlyDictionary<string, object?> GetStudySystemAttrs(int studyId);

    // ---- trials ----

    /// <summary>
    /// Creates a trial and returns its id. Without a template: RUNNING, started now. With one: a copy of its
    /// state, values, params, attrs, intermediate values and datetimes (used for enqueue: state WAITING).
    /// The trial number is the count of earlier trials of the study.
    /// </summary>
    int CreateNewTrial(int studyId, FrozenTrial? template = null);

    /// <summary>
    /// Atomically takes the oldest WAITING trial of the study, marks it RUNNING (start time now) and returns its id;
    /// null if none waits. Safe against other workers claiming the same trial.
    /// </summary>
    int? ClaimWaitingTrial(int studyId);

    /// <summary>Stores a param (internal representation) with its distribution.</summary>
    /// <exception cref="InvalidOperationException">The trial is finished, or the param has an incompatible distribution in another trial of the study.</exception>
    void SetTrialParam(int trialId, string paramName, double internalValue, Distribution distribution);

    /// <summary>
    /// Sets the state and (optionally) values in one atomic write; finished states stamp datetime_complete.
    /// Returns false, changing nothing, when asked to set RUNNING on a trial that is not WAITING (someone claimed it).
    /// </summary>
    /// <exception cref="InvalidOperationException">The trial is already finished.</exception>
    bool SetTrialStateValues(int trialId, TrialState state, IReadOnlyList<double>? values = null);

    /// <summary>Stores (or replaces) the value reported at a step.</summary>
    void SetTrialIntermediateValue(int trialId, int step, double value);

    /// <summary>Sets (or replaces) a trial user attribute.</summary>
    void SetTrialUserAttr(int trialId, string key, object? value);

    /// <summary>Sets (or replaces) a trial system attribute.</summary>
    void SetTrialSystemAttr(int trialId, string key, object? value);

    /// <summary>One trial.</summary>
    /// <exception cref="KeyNotFoundException">No such trial.</exception>
    FrozenTrial GetTrial(int trialId);

    /// <summary>Trials of a study ordered by number, optionally only those in <paramref name="states"/>.</summary>
    IReadOnlyList<FrozenTrial> GetAllTrials(int studyId, IReadOnlyCollection<TrialState>? states = null);

    /// <summary>Trial id for a study's trial number.</summary>
    /// <exception cref="KeyNotFoundException">No such trial.</exception>
    int GetTrialIdFromStudyIdTrialNumber(int studyId, int trialNumber);
}

/// <summary>A study with this name already exists.</summary>
public sealed class DuplicatedStudyException(string studyName)
    : Exception($"A study named '{studyName}' already exists; use loadIfExists or another name.")
{
    /// <summary>The clashing name.</summary>
    public string StudyName { get; } = studyName;
}

/// <summary>No study has this name or id.</summary>
public sealed class StudyNotFoundException(string what) : Exception($"Study not found: {what}.");

/// <summary>
/// A write to a trial that is already finished. Between workers this is expected: a worker whose heartbeat lapsed (a
/// starved or paused process) finds its trial failed as stale by another, which re-queued it.
/// </summary>
public sealed class TrialAlreadyFinishedException(int number, TrialState state)
    : InvalidOperationException($"Trial {number} is already finished with state {state.ToOptunaName()}; it cannot be modified.")
{
    /// <summary>The trial's number.</summary>
    public int Number { get; } = number;
    /// <summary>The state it finished with.</summary>
    public TrialState State { get; } = state;
}

/// <summary>Shared checks every storage applies the same way.</summary>
public static class StorageRules
{
    /// <summary>Throws unless the trial may still be modified.</summary>
    /// <exception cref="TrialAlreadyFinishedException">The trial is finished.</exception>
    public static void CheckUpdatable(int number, TrialState state)
    {
        if (state.IsFinished()) throw new TrialAlreadyFinishedException(number, state);
    }

    /// <summary>Optuna's check_distribution_compatibility: same kind, and categoricals must have the same choices.</summary>
    public static void CheckCompatible(string paramName, Distribution existing, Distribution incoming)
    {
        if (existing.GetType() != incoming.GetType())
            throw new InvalidOperationException(
                $"Param '{paramName}' was already used as {existing.OptunaName} in this study; cannot use it as {incoming.OptunaName}.");
        if (existing is CategoricalDistribution && !existing.Equals(incoming))
            throw new InvalidOperationException(
                $"Param '{paramName}' is categorical with choices {existing.ToJson()} in this study; cannot change them to {incoming.ToJson()}.");
    }

    /// <summary>Values must be finite or ±inf (NaN is a failed trial, not a value).</summary>
    public static void CheckValues(IReadOnlyList<double>? values)
    {
        if (values is null) return;
        foreach (double v in values)
            if (double.IsNaN(v)) throw new ArgumentException("Trial values must not be NaN.");
    }
}
