namespace EdgeAutoMl.Cli.Tests;

/// <summary>Bad input ends in one line on stderr naming the cause, and a non-zero exit code.</summary>
public class ErrorReportingTests
{
    private static void AssertOneLineError(CliRun run, params string[] fragments)
    {
        Assert.NotEqual(0, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, "expected one stderr line, got:\n" + run.Stderr);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
    }

    [Fact]
    public void Missing_model_file_is_named()
    {
        var dir = CliHarness.TempDir();
        var run = CliHarness.Run(dir, "evaluate", "--model", "no/such/model.onnx", "--x", CliHarness.Sample("digits-mlp.val.x.npy"),
            "--y", CliHarness.Sample("digits-mlp.val.y.npy"));
        AssertOneLineError(run, "no/such/model.onnx");
    }

    [Fact]
    public void Unsupported_operator_names_op_node_and_supported_list()
    {
        // digits-mlp with its first Relu op renamed to Selu (same length, so the protobuf stays
        // valid). Match the op_type field itself (NodeProto field 4, length 4: 0x22 0x04), not a
        // node or tensor name that also contains "Relu".
        var dir = CliHarness.TempDir();
        var bytes = File.ReadAllBytes(CliHarness.Sample("digits-mlp.onnx"));
        int at = IndexOf(bytes, "\x22\x04Relu"u8);
        Assert.True(at >= 0);
        "Selu"u8.CopyTo(bytes.AsSpan(at + 2));
        var model = Path.Combine(dir, "selu.onnx");
        File.WriteAllBytes(model, bytes);
        var run = CliHarness.Run(dir, "evaluate", "--model", model, "--x", CliHarness.Sample("digits-mlp.val.x.npy"),
            "--y", CliHarness.Sample("digits-mlp.val.y.npy"), "--no-device");
        AssertOneLineError(run, "Selu", "Gemm", "Conv");
    }

    [Fact]
    public void Unreachable_port_is_named()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--port", "/dev/ttyEDGEAUTOML404", "--monitor", "ppk2:/dev/ttyEDGEAUTOML405"]);
        AssertOneLineError(run, "/dev/ttyEDGEAUTOML404");
    }

    [Fact]
    public void Unknown_board_lists_known_boards()
    {
        var run = CliHarness.Run(CliHarness.TempDir(), ["evaluate", .. CliHarness.DataArgs("digits-mlp"), "--board", "no-such-board", "--no-device"]);
        AssertOneLineError(run, "no-such-board", "sim-stm32f405");
    }

    private static int IndexOf(byte[] hay, ReadOnlySpan<byte> needle) => hay.AsSpan().IndexOf(needle);
}
