namespace EdgeAutoMl.Model.Tests;

/// <summary>Locates the repository's sample models and the shared ONNX node tests.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Samples => Path.Combine(RepoRoot, "samples");

    public static string Sample(string file) => Path.Combine(Samples, file);

    /// <summary>The shared ONNX node conformance tests (outside the repository), or null.</summary>
    public static string? NodeTests =>
        Directory.Exists("/work/shared/onnx-node-tests") ? "/work/shared/onnx-node-tests" : null;

    public static string TempFile(string suffix)
    {
        var dir = Path.Combine(Path.GetTempPath(), "edgeautoml-model-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{Guid.NewGuid():N}{suffix}");
    }

    private static string FindRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d != null && !File.Exists(Path.Combine(d.FullName, "EdgeAutoMl.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("cannot find the repository root (EdgeAutoMl.sln) above " + AppContext.BaseDirectory);
    }
}
