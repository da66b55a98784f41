using System.Diagnostics;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Tests;

public class QdqExportTests
{
    private const string Python = "/usr/bin/python3";

    [PythonOnnxTheory]
    [InlineData("digits-mlp", 8)]
    [InlineData("digits-cnn", 3)]
    public void OnnxCheckerAcceptsTheQdqModel(string name, int bits)
    {
        var q = SampleModels.Get(name).prepared.Quantize(QuantConfig.Uniform(bits));
        var path = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(path, q.ExportQdq());
        var (code, text) = Run(Python, "-c", $"import onnx; m = onnx.load('{path}'); onnx.checker.check_model(m, full_check=True); print(m.opset_import[0].version)");
        Assert.True(code == 0, $"onnx.checker refused {path}: {text}");
        Assert.Equal("13", text.Trim());
    }

    [Fact]
    public void WeightsStayInsideTheirBitRange()
    {
        var q = SampleModels.Get("digits-cnn").prepared.Quantize(new QuantConfig
        {
            WeightBits = new Dictionary<string, int> { ["/conv1/Conv"] = 2, ["/conv2/Conv"] = 5, ["/fc/Gemm"] = 7 },
        });
        var model = global::Onnx.ModelProto.Parser.ParseFrom(q.ExportQdq());
        foreach (var (layer, bits) in new[] { ("/conv1/Conv", 2), ("/conv2/Conv", 5), ("/fc/Gemm", 7) })
        {
            var w = model.Graph.Initializer.Single(t => t.Name == $"{layer}.w_q");
            Assert.Equal(3, w.DataType); // int8
            int qmax = (1 << (bits - 1)) - 1;
            Assert.All(w.RawData.ToByteArray(), v => Assert.InRange((sbyte)v, -qmax, qmax));
            Assert.Contains(w.RawData.ToByteArray(), v => Math.Abs((sbyte)v) == qmax);
        }
    }

    private static (int code, string output) Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
