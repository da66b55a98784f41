using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Reference;
using Xunit.Abstractions;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Runs the float engine against ONNX's node tests for the ops we support.</summary>
public class OnnxNodeConformanceTests(ITestOutputHelper output)
{
    private static readonly string[] Prefixes =
    [
        "test_gemm_", "test_matmul_", "test_add", "test_conv_", "test_basic_conv_", "test_relu", "test_maxpool_",
        "test_globalaveragepool", "test_flatten_", "test_reshape_", "test_batchnorm_", "test_identity", "test_dropout_",
        "test_mul", "test_clip", "test_sigmoid", "test_hardsigmoid", "test_hardswish", "test_leakyrelu", "test_averagepool_",
        "test_concat_", "test_transpose_", "test_constant_pad", "test_edge_pad", "test_reflect_pad", "test_softmax_",
        "test_conv_with_autopad_same",
    ];

    [NodeTestsFact]
    public void FloatEngineMatchesTheNodeTestsItLoads()
    {
        var root = TestPaths.NodeTests!;
        var dirs = Directory.GetDirectories(root).Where(d => Prefixes.Any(p => Path.GetFileName(d).StartsWith(p))).Order().ToList();
        var passed = new List<string>();
        var failures = new List<string>();
        foreach (var dir in dirs)
        {
            string name = Path.GetFileName(dir);
            Graph g;
            try
            {
                g = OnnxModel.Load(Path.Combine(dir, "model.onnx"));
            }
            catch (ModelLoadException e)
            {
                output.WriteLine($"not supported {name}: {e.Message.Split('\n')[0]}");
                continue;
            }
            var set = Path.Combine(dir, "test_data_set_0");
            var inputs = new Dictionary<string, FloatTensor>();
            var files = Directory.GetFiles(set, "input_*.pb").Order().ToArray();
            // Inputs that are initializers in the graph are not runtime inputs.
            for (int i = 0, k = 0; i < files.Length && k < g.Inputs.Count; i++)
            {
                var t = Read(files[i]);
                string target = t.name.Length > 0 && g.Inputs.Contains(t.name) ? t.name : g.Inputs[k];
                inputs[target] = t.tensor;
                k++;
            }
            try
            {
                var outs = FloatEngine.Run(g, inputs);
                var expected = Directory.GetFiles(set, "output_*.pb").Order().Select(Read).ToArray();
                for (int i = 0; i < expected.Length && i < g.Outputs.Count; i++)
                {
                    var got = outs[g.Outputs[i]];
                    var want = expected[i].tensor;
                    Assert.Equal(want.Shape, got.Shape);
                    for (int j = 0; j < want.Data.Length; j++)
                        Assert.True(Math.Abs(want.Data[j] - got.Data[j]) <= 1e-4 + 1e-3 * Math.Abs(want.Data[j]),
                            $"element {j}: expected {want.Data[j]}, got {got.Data[j]}");
                }
                passed.Add(name);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{name}: {e.Message}");
            }
        }
        output.WriteLine($"passed {passed.Count}: {string.Join(", ", passed)}");
        Assert.True(failures.Count == 0, "node tests failed:\n" + string.Join("\n", failures));
        // The core ops must really be exercised, not all skipped as unsupported.
        foreach (var must in new[] { "test_gemm_alpha", "test_gemm_default_matrix_bias", "test_maxpool_2d_ceil", "test_matmul_bcast", "test_basic_conv_with_padding", "test_conv_with_strides_and_asymmetric_padding",
                                     "test_maxpool_2d_pads", "test_globalaveragepool", "test_flatten_axis1", "test_relu", "test_batchnorm_example",
                                     "test_mul_bcast", "test_sigmoid", "test_hardswish", "test_leakyrelu",
                                     "test_averagepool_2d_pads_count_include_pad", "test_averagepool_2d_same_lower", "test_averagepool_2d_ceil",
                                     "test_concat_3d_axis_negative_2", "test_transpose_all_permutations_5", "test_transpose_default",
                                     "test_softmax_axis_1", "test_softmax_large_number", "test_conv_with_autopad_same" })
            Assert.Contains(must, passed);
    }

    private static (string name, FloatTensor tensor) Read(string path)
    {
        var t = global::Onnx.TensorProto.Parser.ParseFrom(File.ReadAllBytes(path));
        var init = TensorProtoConverter.ToInitializer(t, path);
        return (t.Name, new FloatTensor(init.Shape, init.Data));
    }
}
