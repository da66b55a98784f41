using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Cli.Commands;

/// <summary>
/// <c>edgeautoml boards probe --port P</c>: IDENTIFY over the wire and print what the firmware
/// says of itself, next to the matching profile's budgets when one exists. <c>--port sim</c>
/// probes a freshly started simulated board.
/// </summary>
internal static class BoardsProbe
{
    public static Command Create()
    {
        var probe = new Command("probe", "Identify the board on a serial port (IDENTIFY over the wire): board id, firmware and protocol version, clock, capacities");
        var port = new Option<string>("--port") { Description = "Serial port (e.g. /dev/ttyACM0), or sim for a simulated board", Required = true };
        var baud = new Option<int?>("--baud") { Description = "Baud rate (default: 921600, or the --board profile's)" };
        var board = CommonOptions.Board();
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { port, baud, board, json }) probe.Options.Add(o);
        probe.SetAction((r, ct) => CliRunner.RunAsync(r.GetValue(json), async () =>
        {
            var root = CliRunner.RepoRoot();
            string p = r.GetValue(port)!;
            var profile = r.GetValue(board) is { } b || p == "sim" ? BoardCatalog.Resolve(CommonOptions.BoardFor(r.GetValue(board), p), root) : null;
            SimulatedRig? sim = null;
            try
            {
                if (p == "sim")
                {
                    sim = await SimulatedRig.StartAsync(profile!, new SimulatedRigOptions { RepoRoot = root, WithMonitor = false }, ct);
                    p = sim.DevicePort;
                }
                await using var client = DeviceClient.Open(p, r.GetValue(baud) ?? profile?.Baud ?? 921600);
                var info = await client.IdentifyAsync(ct);
                var known = BoardCatalog.All(root).FirstOrDefault(x => x.Id == info.BoardId);
                if (r.GetValue(json))
                    JsonOut.Write(new
                    {
                        port = p, board_id = info.BoardId, firmware_version = info.FirmwareVersionText, protocol_version = info.ProtocolVersion,
                        clock_hz = info.ClockHz, model_capacity_bytes = info.ModelCapacity, arena_capacity_bytes = info.ArenaCapacity,
                        max_chunk = info.MaxChunk, max_window = info.MaxWindow, model_crc32 = info.ModelCrc.ToString("x8"), model_size = info.ModelSize,
                        profile = known?.SourcePath, simulated = sim is not null,
                    });
                else
                {
                    Console.WriteLine($"{p}: board {info.BoardId}, firmware {info.FirmwareVersionText}, protocol {info.ProtocolVersion}");
                    Console.WriteLine($"  clock {info.ClockHz / 1e6:0.###} MHz, model capacity {info.ModelCapacity} B, arena {info.ArenaCapacity} B, max chunk {info.MaxChunk} B, window {info.MaxWindow}");
                    Console.WriteLine(info.HasModel ? $"  committed model: {info.ModelSize} B, crc32 {info.ModelCrc:x8}" : "  no model committed");
                    Console.WriteLine(known is null ? $"  no profile boards/{info.BoardId}.json" : $"  profile: {known.SourcePath}");
                    if (known is not null && known.ClockHz != info.ClockHz)
                        Console.WriteLine($"  warning: profile clock {known.ClockHz} Hz differs from the firmware's {info.ClockHz} Hz");
                }
                return 0;
            }
            finally { if (sim is not null) await sim.DisposeAsync(); }
        }));
        return probe;
    }
}
