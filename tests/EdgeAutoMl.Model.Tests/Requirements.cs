using System.Diagnostics;

namespace EdgeAutoMl.Model.Tests;

/// <summary>
/// Outside tools some tests need. xunit 2 has no dynamic skip, so these attributes set Skip
/// (with the install command) when a tool is missing, instead of a test passing unchecked.
/// CI installs them (.ci/run), so there the tests always run.
/// </summary>
internal static class Requirements
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Why onnx.checker cannot run here, or null when it can.</summary>
    public static readonly Lazy<string?> PythonOnnxMissing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found: apt-get install python3 python3-onnx";
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", "import onnx" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? null : $"python3-onnx missing ({err.Trim()}): apt-get install python3-onnx";
    });

    /// <summary>Why the ONNX node tests cannot run here, or null when they can.</summary>
    public static readonly Lazy<string?> NodeTestsMissing = new(() =>
        TestPaths.NodeTests is null ? "the ONNX backend node tests (shared/onnx-node-tests beside the repo) are not present" : null);
}

/// <summary>A fact that needs Debian's python3-onnx.</summary>
public sealed class PythonOnnxFactAttribute : FactAttribute
{
    public PythonOnnxFactAttribute() { if (Requirements.PythonOnnxMissing.Value is { } why) Skip = why; }
}

/// <summary>A theory that needs Debian's python3-onnx.</summary>
public sealed class PythonOnnxTheoryAttribute : TheoryAttribute
{
    public PythonOnnxTheoryAttribute() { if (Requirements.PythonOnnxMissing.Value is { } why) Skip = why; }
}

/// <summary>A fact that needs the ONNX project's node tests.</summary>
public sealed class NodeTestsFactAttribute : FactAttribute
{
    public NodeTestsFactAttribute() { if (Requirements.NodeTestsMissing.Value is { } why) Skip = why; }
}
