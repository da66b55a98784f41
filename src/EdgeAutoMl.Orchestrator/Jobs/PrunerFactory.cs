using System.Globalization;
using EdgeAutoMl.Search.Pruners;

namespace EdgeAutoMl.Orchestrator.Jobs;

/// <summary>
/// The pruners <c>--pruner</c> names, set up for the search's two accuracy checkpoints
/// (step 1 = calibration-subset accuracy, step 2 = full accuracy; the device rung comes after).
/// </summary>
public static class PrunerFactory
{
    /// <summary>
    /// The default: stop before the device only the trials whose accuracy is in the worst quarter of
    /// the completed ones, and only after 10 trials completed. Why not Optuna's median: this is a
    /// multi-objective search, and the low-accuracy end of the front (tiny, frugal models) is what the
    /// median would throw away; the worst quarter is rarely on the front but costs full device time.
    /// </summary>
    public const string Default = "percentile:25";

    /// <summary>Accepted names, for help and errors.</summary>
    public const string Names = "none, median, percentile[:P] (P in 0..100, default 25), sha, hyperband";

    /// <summary>Completed trials before a percentile or median pruner stops anything.</summary>
    public const int StartupTrials = 10;

    /// <summary>Builds the pruner <paramref name="spec"/> names; null for none.</summary>
    /// <exception cref="ArgumentException">Unknown name or bad percentile, naming the accepted ones.</exception>
    public static IPruner? Create(string spec)
    {
        var parts = spec.Trim().ToLowerInvariant().Split(':', 2);
        return parts[0] switch
        {
            "none" or "nop" when parts.Length == 1 => null,
            "median" when parts.Length == 1 => new MedianPruner(nStartupTrials: StartupTrials),
            "percentile" => new PercentilePruner(Percentile(parts.Length == 2 ? parts[1] : "25", spec), nStartupTrials: StartupTrials),
            // Two rungs at steps 1 and 2, halving at each: ASHA keeps the better half of the subset scores, then of the full ones.
            "sha" or "successive-halving" when parts.Length == 1 => new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2),
            "hyperband" when parts.Length == 1 => new HyperbandPruner(minResource: 1, maxResource: 2, reductionFactor: 2),
            _ => throw new ArgumentException($"--pruner '{spec}': expected one of {Names}"),
        };
    }

    /// <summary>Returns <paramref name="spec"/> after checking that it names a pruner (so a typo fails before the rig starts).</summary>
    public static string Validate(string spec)
    {
        Create(spec);
        return spec;
    }

    private static double Percentile(string text, string spec) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p is >= 0 and <= 100
            ? p
            : throw new ArgumentException($"--pruner '{spec}': the percentile must be a number in 0..100");
}
