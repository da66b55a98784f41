using System.CommandLine;
using EdgeAutoMl.Orchestrator.Jobs;

namespace EdgeAutoMl.Cli.Commands;

/// <summary>Options shared by several commands, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON document on stdout (progress goes to stderr)" };

    public static Option<string> Model(bool required = true) => new("--model", "-m") { Description = "ONNX model file", Required = required };
    public static Option<string?> X() => new("--x") { Description = "Validation inputs, .npy float32 (N, ...)" };
    public static Option<string?> Y() => new("--y") { Description = "Validation labels, .npy int64 (N)" };
    public static Option<string?> Data() => new("--data") { Description = "Validation data as .npz with arrays x and y (instead of --x/--y)" };
    public static Option<string?> Calib() => new("--calib") { Description = "Calibration inputs .npy (default: the validation inputs)" };
    public static Option<string?> Board() => new("--board") { Description = "Board profile id (boards/ID.json) or path (default: sim-stm32f405, or qemu-mps2-an386 with --port qemu)" };
    public static Option<string> Port() => new("--port") { Description = "sim (host-port firmware on a pseudo-terminal), qemu (the firmware on a Cortex-M4 under qemu-system-arm), or a serial device such as /dev/ttyACM0", DefaultValueFactory = _ => "sim" };

    /// <summary>The board to use: the one given, else the simulator board that matches the port.</summary>
    public static string BoardFor(string? board, string port) => board ?? (port == "qemu" ? "qemu-mps2-an386" : "sim-stm32f405");
    public static Option<string> Monitor() => new("--monitor") { Description = "Power monitor: sim (simulated PPK2 wired to the simulated board, with --port sim or qemu), ppk2:PORT, ina226:BUS@ADDR[,shunt=0.1,gpio=PIN,avg=1,ct=140,max=0.4], ina219:BUS@ADDR[,shunt=0.1,gpio=PIN], text:PORT[,unit=mA,rate=1000,baud=115200,col=0,trigger=N]; with several ports (--port A,B) give one monitor per port separated by ';'", DefaultValueFactory = _ => "sim" };
    public static Option<string> Calibration() => new("--calibration") { Description = "Activation range calibration: minmax, percentile (99.99) or mse (clip ratio with the least int8 quantization error)", DefaultValueFactory = _ => "minmax" };

    /// <summary>Parses --calibration, naming the accepted values on error.</summary>
    public static EdgeAutoMl.Model.Calibration.CalibrationMethod ParseCalibration(string text) => text.ToLowerInvariant() switch
    {
        "minmax" or "min-max" => EdgeAutoMl.Model.Calibration.CalibrationMethod.MinMax,
        "percentile" => EdgeAutoMl.Model.Calibration.CalibrationMethod.Percentile,
        "mse" => EdgeAutoMl.Model.Calibration.CalibrationMethod.Mse,
        _ => throw new ArgumentException($"--calibration '{text}': expected minmax, percentile or mse"),
    };

    public static Option<int> EnergyRuns() => new("--energy-runs") { Description = "Inferences per energy measurement (trigger windows averaged)", DefaultValueFactory = _ => 20 };
    public static Option<int?> DeviceSamples() => new("--device-samples") { Description = "Validation samples run on the device to compare its outputs with the host engine (default: all)" };
    public static Option<double> SimFaultRate() => new("--sim-fault-rate") { Description = "Simulated line noise: probability that a byte is flipped, dropped or duplicated (tests retries)", DefaultValueFactory = _ => 0.0, Hidden = true };

    /// <summary>Adds the data options and returns a reader for them.</summary>
    public static Func<ParseResult, DataSource> AddData(Command cmd)
    {
        Option<string?> x = X(), y = Y(), data = Data(), calib = Calib();
        cmd.Options.Add(x); cmd.Options.Add(y); cmd.Options.Add(data); cmd.Options.Add(calib);
        return r => new DataSource(r.GetValue(x), r.GetValue(y), r.GetValue(data), r.GetValue(calib));
    }
}
