using CsCheck;
using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Tests;

public class BitPackingTests
{
    [Fact]
    public void PackUnpackRoundTripsForEveryWidth()
    {
        var gen = from bits in Gen.Int[2, 8]
                  from rowLen in Gen.Int[1, 40]
                  from rows in Gen.Int[1, 5]
                  from vals in Gen.Int[-(1 << (bits - 1)), (1 << (bits - 1)) - 1].Array[rows * rowLen]
                  select (bits, rowLen, rows, vals);
        gen.Sample(t =>
        {
            var values = t.vals.Select(v => (sbyte)v).ToArray();
            var packed = BitPacking.Pack(values, t.rowLen, t.bits);
            Assert.Equal(t.rows * ((t.rowLen * t.bits + 7) / 8), packed.Length);
            Assert.Equal(values, BitPacking.Unpack(packed, t.rows, t.rowLen, t.bits));
        }, iter: 2000);
    }

    [Fact]
    public void LittleEndianBitOrderByHand()
    {
        // 3-bit values 1, -1 (=0b111), 2, -4 (=0b100): stream bits 100 111 010 001 (LSB first)
        // byte0 = bits 0..7 = 1,0,0,1,1,1,0,1 → 0b1011_1001 = 0xB9; byte1 = bits 8..11 = 0,0,0,1 → 0x08
        Assert.Equal(new byte[] { 0xB9, 0x08 }, BitPacking.Pack([1, -1, 2, -4], 4, 3));
        // Rows start byte-aligned: two rows of one 2-bit value each.
        Assert.Equal(new byte[] { 0x01, 0x03 }, BitPacking.Pack([1, -1], 1, 2));
    }

    [Fact]
    public void OutOfRangeValuesAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BitPacking.Pack([2], 1, 2));
}
