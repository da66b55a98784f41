using System.Diagnostics;
using EdgeAutoMl.Model.Evaluation;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Model.Reference;
using Xunit.Abstractions;

namespace EdgeAutoMl.Model.Tests;

/// <summary>The issue-5 ops end to end on <see cref="OpZooModel"/>: float engine vs ORT, integer engine vs ORT on the QDQ export, checker.</summary>
public class NewOpsTests(ITestOutputHelper output)
{
    private static PreparedModel Prepared()
    {
        var path = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(path, OpZooModel.Build());
        return PreparedModel.Prepare(OnnxModel.Load(path), OpZooModel.Samples(64, 1));
    }

    [Fact]
    public void Float_engine_matches_onnx_runtime()
    {
        var onnx = OpZooModel.Build();
        var path = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(path, onnx);
        var g = OnnxModel.Load(path);
        var xs = OpZooModel.Samples(8, 2);
        var ort = OrtEvaluator.Run(onnx, xs, OpZooModel.InputShape);
        for (int i = 0; i < xs.Count; i++)
        {
            var mine = FloatEngine.RunSample(g, xs[i]);
            for (int j = 0; j < mine.Length; j++) Assert.True(Math.Abs(mine[j] - ort[i][j]) < 1e-5, $"sample {i} [{j}]: {mine[j]} vs ORT {ort[i][j]}");
        }
    }

    [Fact]
    public void Every_op_lowers_to_its_blob_op()
    {
        var q = Prepared().Quantize(QuantConfig.Uniform(8));
        var kinds = q.Graph.Ops.Select(o => o.GetType().Name).ToList();
        output.WriteLine(string.Join(" ", kinds));
        foreach (var k in new[] { "QConv2D", "QAdd", "QLut", "QAvgPool", "QPad", "QClamp", "QConcat", "QTranspose", "QReshape", "QFullyConnected" })
            Assert.Contains(k, kinds);
        // Clip(0,6) and the Relu after the 1x1 conv are fused (4 LUTs: Sigmoid, LeakyRelu, HardSigmoid, Mul).
        Assert.Equal(2, q.Graph.Ops.OfType<QConv2D>().Count(c => c.FusedRelu));
        Assert.Equal(4, kinds.Count(k => k == "QLut"));
        Assert.Equal("sm", q.Graph.HostSoftmax?.Name);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Integer_engine_agrees_with_ort_on_the_qdq_export(int bits)
    {
        var q = Prepared().Quantize(QuantConfig.Uniform(bits));
        var xs = OpZooModel.Samples(32, 3);
        var ort = OrtEvaluator.Run(q.ExportQdq(), xs, OpZooModel.InputShape);
        double worst = 0;
        int argmaxSame = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            var logits = q.DequantizeOutput(Engine.IntegerEngine.Run(q.Blob, q.QuantizeInput(xs[i])));
            var mine = q.ApplyHostOps(logits);
            worst = Math.Max(worst, mine.Zip(ort[i], (a, b) => Math.Abs(a - b)).Max());
            if (Array.IndexOf(mine, mine.Max()) == Array.IndexOf(ort[i], ort[i].Max())) argmaxSame++;
        }
        // Every logit off by ≤ δ moves softmax output i by ≤ Σ_j |∂s_i/∂z_j|·δ = 2·s_i(1−s_i)·δ ≤ δ/2.
        double step = q.OutputQuant.Scale;
        output.WriteLine($"bits {bits}: worst |Δ softmax| {worst:G4}, logit step {step:G4}, argmax agree {argmaxSame}/{xs.Count}");
        Assert.True(worst <= step / 2 + 1e-6, $"worst difference {worst} exceeds one logit step ({step}) through the softmax");
        Assert.Equal(xs.Count, argmaxSame);
    }

    [PythonOnnxFact]
    public void Onnx_checker_accepts_the_qdq_export()
    {
        const string python = Requirements.Python;
        var path = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(path, Prepared().Quantize(QuantConfig.Uniform(6)).ExportQdq());
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-c", $"import onnx; m = onnx.load('{path}'); onnx.checker.check_model(m, full_check=True); print('ok')" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0 && text.Contains("ok"), text);
    }
}
