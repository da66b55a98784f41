namespace EdgeAutoMl.Search;

/// <summary>Whether an objective is minimised or maximised (stored as Optuna's <c>MINIMIZE</c>/<c>MAXIMIZE</c>).</summary>
public enum StudyDirection
{
    /// <summary>Smaller is better.</summary>
    Minimize = 1,
    /// <summary>Larger is better.</summary>
    Maximize = 2,
}

/// <summary>Helpers on <see cref="StudyDirection"/>.</summary>
public static class StudyDirectionExtensions
{
    /// <summary>Optuna's enum name.</summary>
    public static string ToOptunaName(this StudyDirection d) => d == StudyDirection.Minimize ? "MINIMIZE" : "MAXIMIZE";

    /// <summary>Parses Optuna's enum name.</summary>
    /// <exception cref="FormatException">Unknown or NOT_SET.</exception>
    public static StudyDirection ParseOptunaName(string name) => name switch
    {
        "MINIMIZE" => StudyDirection.Minimize,
        "MAXIMIZE" => StudyDirection.Maximize,
        _ => throw new FormatException($"Unsupported study direction '{name}' (expected MINIMIZE or MAXIMIZE)."),
    };

    /// <summary>Value turned into a loss: negated for Maximize, so that "smaller is better" everywhere in the math.</summary>
    public static double ToLoss(this StudyDirection d, double value) => d == StudyDirection.Maximize ? -value : value;
}
