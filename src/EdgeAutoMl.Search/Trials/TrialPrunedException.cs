namespace EdgeAutoMl.Search;

/// <summary>Thrown by an objective to stop a trial early; Study.Optimize records it as PRUNED.</summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrialPrunedException(string? message = null) : base(message ?? "Trial was pruned.") { }
}
