using EdgeAutoMl.Hardware.Boards;

namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>Finds board profiles: an id names <c>boards/ID.json</c> in the repo, anything else is a path.</summary>
public static class BoardCatalog
{
    /// <summary>The folder holding the shipped board profiles.</summary>
    public static string Folder(string repoRoot) => Path.Combine(repoRoot, "boards");

    /// <summary>Loads the profile for an id or a path; the error names both places looked in.</summary>
    public static BoardProfile Resolve(string board, string repoRoot)
    {
        var byId = Path.Combine(Folder(repoRoot), board + ".json");
        if (File.Exists(byId)) return BoardProfileLoader.Load(byId);
        if (File.Exists(board)) return BoardProfileLoader.Load(board);
        var known = Directory.Exists(Folder(repoRoot))
            ? string.Join(", ", Directory.GetFiles(Folder(repoRoot), "*.json").Select(Path.GetFileNameWithoutExtension).Where(n => n != "schema").Order())
            : "(no boards/ folder)";
        throw new ArgumentException($"board '{board}': no profile {byId} and no such file; known boards: {known}");
    }

    /// <summary>All shipped profiles.</summary>
    public static IReadOnlyList<BoardProfile> All(string repoRoot) =>
        Directory.Exists(Folder(repoRoot))
            ? BoardProfileLoader.LoadAll(Folder(repoRoot))
            : [];
}
