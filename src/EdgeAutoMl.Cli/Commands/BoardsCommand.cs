using System.CommandLine;
using EdgeAutoMl.Cli.Output;
using EdgeAutoMl.Orchestrator.Rigs;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Commands;

/// <summary><c>edgeautoml boards list | probe</c>: the shipped board profiles, and what is attached.</summary>
internal static class BoardsCommand
{
    public static Command Create()
    {
        var cmd = new Command("boards", "Board profiles (boards/*.json) and attached boards");
        var list = new Command("list", "List the board profiles");
        var json = CommonOptions.Json();
        list.Options.Add(json);
        list.SetAction(r => CliRunner.RunAsync(r.GetValue(json), () =>
        {
            var boards = BoardCatalog.All(CliRunner.RepoRoot());
            if (r.GetValue(json))
                JsonOut.Write(boards.Select(b => new { id = b.Id, name = b.Name, clock_hz = b.ClockHz, flash_bytes = b.FlashBytes, ram_bytes = b.RamBytes, supply_v = b.SupplyVolts, baud = b.Baud }));
            else
            {
                var t = new Table().AddColumns("id", "name", "clock", "flash", "RAM", "supply", "baud");
                foreach (var b in boards)
                    t.AddRow(b.Id, Markup.Escape(b.Name), $"{b.ClockHz / 1e6:0} MHz", $"{b.FlashBytes / 1024} KiB", $"{b.RamBytes / 1024} KiB", $"{b.SupplyVolts:0.0} V", b.Baud.ToString());
                AnsiConsole.Write(t);
            }
            return Task.FromResult(0);
        }));
        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(BoardsProbe.Create());
        return cmd;
    }
}
