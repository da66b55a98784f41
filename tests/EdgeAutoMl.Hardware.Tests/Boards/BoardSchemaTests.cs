using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Simulation;

namespace EdgeAutoMl.Hardware.Tests.Boards;

public class BoardSchemaTests
{
    private static string BoardsDir => Path.Combine(RepoLocator.FindRoot(), "boards");

    [Fact]
    public void Every_shipped_profile_conforms_to_the_schema()
    {
        var all = BoardProfileLoader.LoadAll(BoardsDir);
        Assert.Contains(all, b => b.Id == "nucleo-l476rg");
        Assert.Contains(all, b => b.Id == "nrf52840-dk");
        Assert.DoesNotContain(all, b => b.Id == "schema");
    }

    [Fact]
    public void Nucleo_and_nrf_profiles_hold_the_datasheet_figures()
    {
        var n = BoardProfileLoader.LoadById(BoardsDir, "nucleo-l476rg");
        Assert.Equal((80_000_000L, 1_048_576L, 131_072L, 3.3, 921_600), (n.ClockHz, n.FlashBytes, n.RamBytes, n.SupplyVolts, n.Baud));
        Assert.Equal(0, n.Monitor.TriggerChannel);
        var d = BoardProfileLoader.LoadById(BoardsDir, "nrf52840-dk");
        Assert.Equal((64_000_000L, 1_048_576L, 262_144L, 3.0), (d.ClockHz, d.FlashBytes, d.RamBytes, d.SupplyVolts));
        Assert.Null(d.CostModel);
    }

    [Theory]
    [InlineData("\"supply_v\": 3.0,", "\"supply_v\": 3.0, \"suply_v\": 3.0,", "field 'suply_v' is not in the schema")]
    [InlineData("\"kind\": \"ppk2\"", "\"kind\": \"ppk3\"", "field 'monitor.kind' must be one of")]
    [InlineData("\"core\": \"cortex-m4f\"", "\"core\": \"z80\"", "field 'core' must be one of")]
    [InlineData("\"idle_ua\": 2100,", "\"idle_ua\": 2100, \"idle_mA\": 2,", "field 'cost_model.idle_mA' is not in the schema")]
    public void Schema_violations_name_file_and_field(string from, string to, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("boards-").FullName;
        File.Copy(Path.Combine(BoardsDir, "schema.json"), Path.Combine(dir, "schema.json"));
        var text = File.ReadAllText(Path.Combine(BoardsDir, "sim-stm32f405.json"));
        Assert.Contains(from, text);
        var path = Path.Combine(dir, "sim-stm32f405.json");
        File.WriteAllText(path, text.Replace(from, to));
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Simulator_noise_is_read_from_the_profile()
    {
        var text = File.ReadAllText(Path.Combine(BoardsDir, "sim-stm32f405.json"))
            .Replace("\"baud\": 921600,", "\"baud\": 921600, \"simulator\": { \"noise_ua\": 4000 },");
        Assert.Equal(4000, BoardProfileLoader.Parse(text, "<test>").SimNoiseMicroamps);
    }
}
