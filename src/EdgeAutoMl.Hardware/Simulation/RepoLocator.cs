namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>Finds the repository root (the directory holding EdgeAutoMl.sln) and the simulator binaries in it.</summary>
public static class RepoLocator
{
    /// <summary>Relative path of the host-port firmware binary.</summary>
    public const string FirmwareBinary = "firmware/build/edgeautoml-fw-host";
    /// <summary>Relative path of the PPK2 simulator binary.</summary>
    public const string Ppk2SimulatorBinary = "simulators/build/edgeautoml-ppk2-sim";
    /// <summary>How to build them, for error messages.</summary>
    public const string BuildHint =
        "build them with: cmake -S firmware -B firmware/build -DCMAKE_BUILD_TYPE=Release && cmake --build firmware/build -j2 " +
        "&& cmake -S simulators -B simulators/build -DCMAKE_BUILD_TYPE=Release && cmake --build simulators/build -j2";

    /// <summary>Walks up from <paramref name="start"/> (default: the current directory, then the app's base directory).</summary>
    /// <exception cref="DirectoryNotFoundException">No EdgeAutoMl.sln above either.</exception>
    public static string FindRoot(string? start = null)
    {
        foreach (var origin in new[] { start, Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = origin is null ? null : new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAutoMl.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"cannot find the EdgeAutoMl repository (EdgeAutoMl.sln) above {start ?? Environment.CurrentDirectory} or {AppContext.BaseDirectory}");
    }

    /// <summary>Resolves a binary: explicit path, then the environment variable, then the build folders under the root.</summary>
    /// <exception cref="FileNotFoundException">Not found; the message says how to build it.</exception>
    public static string ResolveBinary(string? explicitPath, string environmentVariable, string root, string relative)
    {
        var candidates = new List<string>();
        if (explicitPath is not null) candidates.Add(explicitPath);
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } env) candidates.Add(env);
        candidates.Add(Path.Combine(root, relative));
        candidates.Add(Path.Combine(root, relative.Replace("/build/", "/build-test/")));
        foreach (var c in candidates) if (File.Exists(c)) return Path.GetFullPath(c);
        throw new FileNotFoundException(
            $"simulator binary not found (looked at {string.Join(", ", candidates)}; or set ${environmentVariable}); {BuildHint}", candidates[0]);
    }
}
