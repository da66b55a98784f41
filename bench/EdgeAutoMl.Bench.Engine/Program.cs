using System.Globalization;
using EdgeAutoMl.Bench.Engine;
using EdgeAutoMl.Model.Calibration;
using EdgeAutoMl.Model.Data;
using EdgeAutoMl.Model.Onnx;
using EdgeAutoMl.Model.Quantization;

// Usage: EdgeAutoMl.Bench.Engine [--samples DIR] [--models a,b] [--bits 8,4] [--rounds N] [--seconds S] [--batch N]
// Prints integer-engine vs ONNX Runtime throughput on each sample model's QDQ export.
var opts = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
string dir = opts.GetValueOrDefault("samples") ?? FindSamples();
var models = (opts.GetValueOrDefault("models") ?? "digits-mlp,digits-cnn").Split(',');
var bitsList = (opts.GetValueOrDefault("bits") ?? "8,4").Split(',').Select(int.Parse).ToArray();
int rounds = int.Parse(opts.GetValueOrDefault("rounds") ?? "5", CultureInfo.InvariantCulture);
double seconds = double.Parse(opts.GetValueOrDefault("seconds") ?? "1", CultureInfo.InvariantCulture);
int batch = int.Parse(opts.GetValueOrDefault("batch") ?? "64", CultureInfo.InvariantCulture);

Console.WriteLine($"integer engine vs ONNX Runtime (QDQ export, ORT_ENABLE_BASIC, 1 thread); {Environment.ProcessorCount} cores, median of {rounds} rounds of ≥ {seconds} s each, same validation samples for every way");
Console.WriteLine($"{"model",-11} {"bits",4} {"way",-24} {"samples/s",12} {"spread",7} {"vs engine",9}");
foreach (var name in models)
{
    var graph = OnnxModel.Load(Path.Combine(dir, $"{name}.onnx"));
    var calib = Dataset.SplitSamples(NpyReader.ReadFloat32(Path.Combine(dir, $"{name}.calib.x.npy")), name);
    var val = Dataset.Load(Path.Combine(dir, $"{name}.val.x.npy"), Path.Combine(dir, $"{name}.val.y.npy"));
    var prepared = PreparedModel.Prepare(graph, calib, CalibrationMethod.MinMax);
    foreach (var bits in bitsList)
    {
        var q = prepared.Quantize(QuantConfig.Uniform(bits));
        var results = new ThroughputRunner(q, val.X, val.SampleShape, batch, seconds).Measure(rounds);
        double engine = results[0].SamplesPerSecond;
        foreach (var r in results)
            Console.WriteLine($"{name,-11} {bits,4} {r.Name,-24} {r.SamplesPerSecond,12:F0} {r.Spread,6:P0} {r.SamplesPerSecond / engine,8:F2}x");
    }
}

static string FindSamples()
{
    for (var d = new DirectoryInfo(Environment.CurrentDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "EdgeAutoMl.sln"))) return Path.Combine(d.FullName, "samples");
    throw new DirectoryNotFoundException("no EdgeAutoMl.sln above the working directory; pass --samples DIR");
}
