using CsCheck;
using EdgeAutoMl.Hardware.Framing;

namespace EdgeAutoMl.Hardware.Tests.Framing;

public class CobsTests
{
    [Theory]
    [InlineData("", "01")]
    [InlineData("00", "0101")]
    [InlineData("0000", "010101")]
    [InlineData("110022", "02110222")]
    [InlineData("11223300", "0411223301")]
    public void Encodes_the_papers_examples(string input, string expected)
    {
        Assert.Equal(expected, Hex.Format(Cobs.Encode(Convert.FromHexString(input))));
    }

    [Fact]
    public void A_run_of_254_nonzero_bytes_gets_a_full_block_then_an_empty_one()
    {
        var data = Enumerable.Range(1, 254).Select(i => (byte)i).ToArray();
        var encoded = Cobs.Encode(data);
        Assert.Equal(256, encoded.Length);
        Assert.Equal(0xFF, encoded[0]);
        Assert.Equal(0x01, encoded[255]);
        Assert.True(Cobs.TryDecode(encoded, out var decoded));
        Assert.Equal(data, decoded);
    }

    [Fact]
    public void Round_trips_any_bytes_and_never_emits_zero()
    {
        Gen.Byte.Array[0, 3000].Sample(data =>
        {
            var encoded = Cobs.Encode(data);
            Assert.DoesNotContain((byte)0, encoded);
            Assert.True(encoded.Length <= Cobs.MaxEncodedLength(data.Length));
            Assert.True(Cobs.TryDecode(encoded, out var decoded));
            Assert.Equal(data, decoded);
        });
    }

    [Theory]
    [InlineData("")]          // nothing
    [InlineData("05112233")]  // code points past the end
    [InlineData("031100")]    // a zero inside a block
    public void Rejects_invalid_encodings(string encoded)
    {
        Assert.False(Cobs.TryDecode(Convert.FromHexString(encoded), out _));
    }
}
