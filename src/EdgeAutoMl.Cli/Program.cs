using System.CommandLine;
using EdgeAutoMl.Cli.Commands;

// edgeautoml: searches per-layer quantization bit-widths and measures each candidate on a
// microcontroller (or the simulator that speaks the same bytes).
var root = new RootCommand(
    "EdgeAutoMl: search per-layer quantization bit-widths for an ONNX model and measure every " +
    "candidate on the microcontroller (or its simulator): accuracy, latency, energy, flash, RAM.");
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(InspectCommand.Create());
root.Subcommands.Add(BoardsCommand.Create());
root.Subcommands.Add(SimCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
return await root.Parse(args).InvokeAsync();
