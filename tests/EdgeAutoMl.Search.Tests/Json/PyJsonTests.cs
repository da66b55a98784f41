using CsCheck;
using EdgeAutoMl.Search.Json;

namespace EdgeAutoMl.Search.Tests.Json;

public class PyJsonTests
{
    [Fact]
    public void Writes_python_json_dumps_layout()
    {
        var value = new Dictionary<string, object?>
        {
            ["a"] = new object?[] { 1, 2.0, null, true, "é\n" },
            ["b"] = double.NegativeInfinity,
        };
        Assert.Equal("{\"a\": [1, 2.0, null, true, \"\\u00e9\\n\"], \"b\": -Infinity}", PyJsonWriter.Write(value));
    }

    [Fact]
    public void Reads_back_plain_values_including_nan_and_infinity()
    {
        var parsed = (Dictionary<string, object?>)PyJsonReader.Parse("{\"x\": [1, 2.5, NaN, -Infinity, \"s\", false, null], \"y\": {}}")!;
        var list = (List<object?>)parsed["x"]!;
        Assert.Equal(1L, list[0]);
        Assert.Equal(2.5, list[1]);
        Assert.True(double.IsNaN((double)list[2]!));
        Assert.Equal(double.NegativeInfinity, list[3]);
        Assert.Equal("s", list[4]);
        Assert.Equal(false, list[5]);
        Assert.Null(list[6]);
        Assert.Empty((Dictionary<string, object?>)parsed["y"]!);
    }

    [Fact]
    public void Rejects_garbage_with_a_position()
    {
        var e = Assert.Throws<FormatException>(() => PyJsonReader.Parse("[1, }"));
        Assert.Contains("position", e.Message);
    }

    [Fact]
    public void Write_then_read_is_identity_for_strings_and_numbers()
    {
        CsCheck.Gen.Select(CsCheck.Gen.String, CsCheck.Gen.Long, CsCheck.Gen.Double.Where(double.IsFinite)).Sample((s, l, d) =>
        {
            var back = (List<object?>)PyJsonReader.Parse(PyJsonWriter.Write(new object[] { s, l, d }))!;
            Assert.Equal(s, back[0]);
            Assert.Equal(l, back[1]);
            Assert.Equal(d, Convert.ToDouble(back[2]));
        });
    }
}
