using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Orchestrator.Jobs;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml export</c>: firmware artifacts of one trial.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var cmd = new Command("export", "Write a trial's firmware artifacts: C11 source + header with the bit-packed model (const, in flash), " +
            "the same blob as .bin for the wire protocol, the QDQ .onnx, and manifest.json (bit-widths, hashes, measured figures, versions)");
        var storage = new Option<string>("--storage") { Description = "Study storage", DefaultValueFactory = _ => "sqlite:///edgeautoml.db" };
        var study = new Option<string>("--study") { Description = "Study name", Required = true };
        var trial = new Option<int>("--trial") { Description = "Trial number", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder", Required = true };
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { storage, study, trial, output, json }) cmd.Options.Add(o);
        cmd.SetAction(r => CliRunner.RunAsync(r.GetValue(json), () =>
        {
            var files = ExportJob.Run(r.GetValue(storage)!, r.GetValue(study)!, r.GetValue(trial), r.GetValue(output)!);
            if (r.GetValue(json)) JsonOut.Write(new { files });
            else foreach (var f in files) Console.WriteLine(f);
            return Task.FromResult(0);
        }));
        return cmd;
    }
}
