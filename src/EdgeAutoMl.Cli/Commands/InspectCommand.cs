using System.CommandLine;
using System.Globalization;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Model.Graphs;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml inspect MODEL</c>: layers, params, MACs, packed flash per bit-width, peak RAM.</summary>
internal static class InspectCommand
{
    private static readonly int[] BitWidths = [8, 6, 4, 3, 2];

    public static Command Create()
    {
        var cmd = new Command("inspect", "Show a model's layers, parameters, MACs, packed flash at each weight bit-width and peak arena RAM, " +
            "or which operator makes it unsupported");
        var model = new Argument<string>("MODEL") { Description = "ONNX model file" };
        var json = CommonOptions.Json();
        cmd.Arguments.Add(model);
        cmd.Options.Add(json);
        cmd.SetAction(r => CliRunner.RunAsync(r.GetValue(json), () =>
        {
            var path = r.GetValue(model)!;
            if (!File.Exists(path)) throw new FileNotFoundException($"model file not found: {path}");
            var graph = OnnxModel.Load(path);
            // Sizes do not depend on activation ranges, so one zero sample calibrates enough for them.
            var inputShape = graph.ShapeOf(graph.Inputs[0]);
            var zero = new float[inputShape.Aggregate(1, (a, d) => a * Math.Max(d, 1))];
            var prepared = PreparedModel.Prepare(graph, [zero]);
            var perBits = BitWidths.ToDictionary(b => b, b => prepared.Quantize(QuantConfig.Uniform(b)).Costs);
            var layerFlash = prepared.Layers.ToDictionary(l => l.Name,
                l => BitWidths.ToDictionary(b => b, b => WeightBytesAt(prepared, l.Name, b)));

            if (r.GetValue(json))
            {
                JsonOut.Write(new
                {
                    model = path,
                    supported = true,
                    input_shape = inputShape,
                    ops = graph.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Count()),
                    layers = prepared.Layers.Select(l => new { name = l.Name, op = l.OpType, @params = l.Params, macs = l.Macs, weight_bytes_by_bits = layerFlash[l.Name] }),
                    flash_bytes_by_bits = perBits.ToDictionary(kv => kv.Key, kv => kv.Value.FlashBytes),
                    ram_bytes = perBits[8].RamBytes,
                    macs = perBits[8].Macs,
                });
                return Task.FromResult(0);
            }
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(path))}[/]: input {string.Join("x", inputShape)}, " +
                $"{graph.Nodes.Count} nodes ({Markup.Escape(string.Join(", ", graph.Nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key}×{g.Count()}")))}), all supported");
            var t = new Table().AddColumns("layer", "op", "params", "MACs");
            foreach (var b in BitWidths) t.AddColumn($"weights @{b}b");
            foreach (var l in prepared.Layers)
                t.AddRow([Markup.Escape(l.Name), l.OpType, N(l.Params), N(l.Macs), .. BitWidths.Select(b => N(layerFlash[l.Name][b]))]);
            t.AddRow(["[bold]packed blob[/]", "", N(prepared.Layers.Sum(l => l.Params)), N(perBits[8].Macs), .. BitWidths.Select(b => N(perBits[b].FlashBytes))]);
            AnsiConsole.Write(t);
            AnsiConsole.MarkupLine($"peak arena RAM: {N(perBits[8].RamBytes)} B (int8 activations)");
            return Task.FromResult(0);
        }));
        return cmd;
    }

    /// <summary>
    /// A layer's bit-packed weight bytes at <paramref name="bits"/>, as MODEL_FORMAT.md packs them:
    /// each output channel's row starts on a byte boundary.
    /// </summary>
    private static long WeightBytesAt(PreparedModel p, string layer, int bits)
    {
        var node = p.Folded.Nodes.First(n => n.Name == layer);
        var w = p.Folded.Initializers[node.Input(1)!];
        long rows = w.Shape[0], perRow = w.Data.Length / rows;
        return rows * ((perRow * bits + 7) / 8);
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
