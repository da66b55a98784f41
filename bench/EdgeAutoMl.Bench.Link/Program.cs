// Flashes a random blob through the host firmware behind a pty paced to baud/10 bytes/s each way
// (edgeautoml-fw-host --baud) and prints the achieved payload throughput as a share of the line
// rate. Random bytes pass the whole-blob CRC and are then refused by the loader (MODEL_INVALID),
// so the timing covers IDENTIFY, MODEL_BEGIN, every chunk and MODEL_COMMIT.
// usage: EdgeAutoMl.Bench.Link [--bytes N] [--baud B,B,...] [--window W] [--chunk C] [--repeat R]
using System.Diagnostics;
using System.Globalization;
using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;

int bytes = 150_000, repeat = 1;
int? window = null, chunk = null;
int[] bauds = [115_200, 921_600];
for (int i = 0; i + 1 < args.Length; i += 2)
{
    string v = args[i + 1];
    switch (args[i])
    {
        case "--bytes": bytes = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--baud": bauds = v.Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).ToArray(); break;
        case "--window": window = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--chunk": chunk = int.Parse(v, CultureInfo.InvariantCulture); break;
        case "--repeat": repeat = int.Parse(v, CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

string root = RepoLocator.FindRoot();
var board = BoardProfileLoader.LoadById(Path.Combine(root, "boards"), "sim-stm32f405");
var blob = new byte[bytes];
new Random(1).NextBytes(blob);
Console.WriteLine($"blob {bytes} B, window {(window?.ToString() ?? "device max")}, chunk {(chunk?.ToString() ?? "device max (adaptive)")}");
Console.WriteLine("baud      line B/s   elapsed s   payload B/s   % of line   retransmissions");
foreach (int baud in bauds)
{
    for (int r = 0; r < repeat; r++)
    {
        await using var rig = await SimulatedRig.StartAsync(board, new SimulatedRigOptions { RepoRoot = root, WithMonitor = false, LineBaud = baud });
        var options = new DeviceClientOptions { MaxWindow = window, MaxChunkBytes = chunk };
        await using var client = DeviceClient.Open(rig.DevicePort, baud, options);
        await client.IdentifyAsync(); // not timed: the session's first round trip
        var sw = Stopwatch.StartNew();
        try { await client.LoadModelAsync(blob); }
        catch (DeviceProtocolException e) when (e.Status == DeviceStatus.ModelInvalid) { }
        sw.Stop();
        double line = baud / 10.0, rate = bytes / sw.Elapsed.TotalSeconds;
        Console.WriteLine($"{baud,-9} {line,8:0}   {sw.Elapsed.TotalSeconds,9:0.000}   {rate,11:0}   {100 * rate / line,8:0.0} %   {client.Statistics.Retransmissions}");
    }
}
return 0;
