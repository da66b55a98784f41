using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Simulation;

namespace EdgeAutoMl.Hardware.Tests.Boards;

public class BoardProfileLoaderTests
{
    private static string BoardsDir => Path.Combine(RepoLocator.FindRoot(), "boards");

    [Fact]
    public void Loads_the_simulated_stm32f405()
    {
        var b = BoardProfileLoader.LoadById(BoardsDir, "sim-stm32f405");
        Assert.Equal(168_000_000, b.ClockHz);
        Assert.Equal(3.0, b.SupplyVolts);
        Assert.Equal(65536, b.ArenaRamBytes);
        Assert.Equal(262144, b.ModelFlashBytes);
        Assert.Equal("sim", b.Transport.Kind);
        Assert.Equal(0, b.Monitor.TriggerChannel);
        Assert.Equal(2.2, b.CostModel!.CyclesPerMac[8]);
        Assert.Equal("op=300,elem=2,mac2=4.4,mac3=4.4,mac4=3.9,mac5=3,mac6=3,mac7=3,mac8=2.2,idle_ua=2100,active_ua=21000,ua_per_bit=900",
            b.CostModel.ToCommandLine());
    }

    private static string Mutate(string field, string replacement)
    {
        string json = File.ReadAllText(Path.Combine(BoardsDir, "sim-stm32f405.json"));
        int i = json.IndexOf($"\"{field}\"", StringComparison.Ordinal);
        Assert.True(i >= 0, field);
        int colon = json.IndexOf(':', i);
        int end = json.IndexOfAny([',', '\n', '}'], colon);
        return json[..(colon + 1)] + " " + replacement + json[end..];
    }

    [Theory]
    [InlineData("clock_hz", "0", "'clock_hz'")]
    [InlineData("clock_hz", "\"fast\"", "'clock_hz' must be a number")]
    [InlineData("supply_v", "12", "'supply_v'")]
    [InlineData("trigger_channel", "9", "'monitor.trigger_channel'")]
    [InlineData("8", "-1", "'cost_model.cycles_per_mac.8'")]
    [InlineData("schema", "\"edgeautoml-board/2\"", "'schema'")]
    [InlineData("arena_ram_bytes", "999999999", "exceeds ram_bytes")]
    public void Invalid_fields_are_named_with_the_file(string field, string value, string expected)
    {
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.Parse(Mutate(field, value), "boards/sim-stm32f405.json"));
        Assert.Contains("boards/sim-stm32f405.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_field_and_missing_file_are_clear()
    {
        string json = File.ReadAllText(Path.Combine(BoardsDir, "sim-stm32f405.json")).Replace("\"baud\": 921600,", "");
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.Parse(json, "boards/sim-stm32f405.json"));
        Assert.Contains("'baud' is missing", e.Message);
        var e2 = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.LoadById(BoardsDir, "no-such-board"));
        Assert.Contains("no-such-board", e2.Message);
        Assert.Contains("sim-stm32f405", e2.Message); // lists the known ones
    }

    [Fact]
    public void Broken_json_names_the_file()
    {
        var e = Assert.Throws<BoardProfileException>(() => BoardProfileLoader.Parse("{ \"id\": ", "boards/x.json"));
        Assert.StartsWith("boards/x.json: not valid JSON", e.Message);
    }
}
