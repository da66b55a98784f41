using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Hardware.Simulation;
using EdgeAutoMl.Orchestrator.Rigs;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml sim</c>: a simulated board and PPK2 on pseudo-terminals, for manual use or other tools.</summary>
internal static class SimCommand
{
    public static Command Create()
    {
        var cmd = new Command("sim", "Start a simulated board (host-port firmware) and a simulated PPK2 wired to it; print their serial ports and " +
            "keep them running until Ctrl-C (or --seconds). Point --port/--monitor ppk2:PORT of other commands at them.");
        var board = CommonOptions.Board();
        var seconds = new Option<int?>("--seconds") { Description = "Stop after this many seconds (default: until Ctrl-C)" };
        var noise = new Option<double>("--noise-ua") { Description = "Gaussian current noise of the simulated PPK2, µA", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        foreach (var o in new Option[] { board, seconds, noise, json }) cmd.Options.Add(o);
        cmd.SetAction((r, ct) => CliRunner.RunAsync(r.GetValue(json), async () =>
        {
            var root = CliRunner.RepoRoot();
            var profile = BoardCatalog.Resolve(CommonOptions.BoardFor(r.GetValue(board), "sim"), root);
            await using var rig = await SimulatedRig.StartAsync(profile, new SimulatedRigOptions { RepoRoot = root, NoiseMicroamps = r.GetValue(noise) }, ct);
            if (r.GetValue(json)) JsonOut.Write(new { board = profile.Id, device_port = rig.DevicePort, monitor_port = rig.MonitorPort, baud = profile.Baud });
            else
            {
                Console.WriteLine($"board   {profile.Id}: {rig.DevicePort} ({profile.Baud} baud)");
                Console.WriteLine($"monitor PPK2: {rig.MonitorPort}");
                Console.Error.WriteLine("running; Ctrl-C stops both");
            }
            Console.Out.Flush();
            try
            {
                await Task.Delay(r.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException) { }
            return 0;
        }));
        return cmd;
    }
}
