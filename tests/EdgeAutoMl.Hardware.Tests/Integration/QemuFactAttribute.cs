using EdgeAutoMl.Hardware.Simulation;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>A fact that is skipped, with the install line, when QEMU, socat or the cross compiler is missing.</summary>
public sealed class QemuFactAttribute : FactAttribute
{
    public QemuFactAttribute()
    {
        var missing = new[] { "qemu-system-arm", "socat", "arm-none-eabi-gcc" }.Where(t => !QemuBuild.OnPath(t)).ToList();
        if (missing.Count > 0)
            Skip = $"{string.Join(", ", missing)} not found: apt-get install qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi socat";
    }
}

/// <summary>Builds the QEMU image and the simulators once per test run (cmake is incremental).</summary>
internal static class QemuBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool _built;

    public static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, name)));

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built) return;
            string root = RepoLocator.FindRoot();
            await RunAsync(root, "cmake", "-S", "firmware", "-B", "firmware/build-qemu", "-DEDGEAUTOML_PORT=qemu", "-DCMAKE_BUILD_TYPE=MinSizeRel",
                $"-DCMAKE_TOOLCHAIN_FILE={Path.Combine(root, "firmware/cmake/arm-none-eabi.cmake")}");
            await RunAsync(root, "cmake", "--build", "firmware/build-qemu", "-j2");
            if (!File.Exists(Path.Combine(root, QemuRig.TriggerBridgeBinary)))
            {
                await RunAsync(root, "cmake", "-S", "simulators", "-B", "simulators/build", "-DCMAKE_BUILD_TYPE=Release");
                await RunAsync(root, "cmake", "--build", "simulators/build", "-j2");
            }
            _built = true;
        }
        finally { Gate.Release(); }
    }

    private static async Task RunAsync(string cwd, string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {await stdout}\n{await stderr}");
    }
}
