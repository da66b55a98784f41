using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Quantization;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Hand-computed cases of MODEL_FORMAT.md's arithmetic.</summary>
public class FixedPointTests
{
    [Theory]
    [InlineData(int.MinValue, int.MinValue, int.MaxValue)]      // the one saturating case
    [InlineData(int.MinValue, int.MaxValue, -2147483647)]      // -2^31·(2^31-1)/2^31 = -(2^31-1)
    [InlineData(1 << 30, 1 << 30, 1 << 29)]                    // 0.5·0.5 = 0.25
    [InlineData(3, 1 << 30, 2)]                                // 3·0.5 = 1.5 → 2 (half away)
    [InlineData(-3, 1 << 30, -1)]                              // -1.5 → -1: the nudge 1−2^30 plus truncation rounds ties toward +∞
    [InlineData(-5, 1 << 30, -2)]                              // -2.5 → -2
    [InlineData(5, 1 << 29, 1)]                                // 1.25 → 1
    [InlineData(-5, 1 << 29, -1)]                              // -1.25 → -1
    [InlineData(1, 1, 0)]
    [InlineData(0, int.MinValue, 0)]
    public void Srdhm(int a, int b, int expected) => Assert.Equal(expected, FixedPoint.Srdhm(a, b));

    [Theory]
    [InlineData(5, 1, 3)]       // 2.5 → 3
    [InlineData(-5, 1, -3)]     // -2.5 → -3 (away from zero)
    [InlineData(-4, 1, -2)]
    [InlineData(7, 2, 2)]       // 1.75 → 2
    [InlineData(-7, 2, -2)]
    [InlineData(-6, 2, -2)]     // -1.5 → -2
    [InlineData(6, 2, 2)]       // 1.5 → 2
    [InlineData(-9, 3, -1)]     // -1.125 → -1
    [InlineData(12345, 0, 12345)]
    [InlineData(int.MinValue, 31, -1)]
    [InlineData(int.MaxValue, 31, 1)]
    [InlineData(-1, 31, 0)]
    public void Rdpot(int x, int e, int expected) => Assert.Equal(expected, FixedPoint.Rdpot(x, e));

    [Theory]
    [InlineData(100, 1 << 30, 0, 50)]                 // ×0.5
    [InlineData(101, 1 << 30, 0, 51)]                 // 50.5 → 51
    [InlineData(-101, 1 << 30, 0, -50)]               // -50.5 → -50 (SRDHM ties toward +∞)
    [InlineData(-100, 1 << 30, -1, -25)]              // -25 exactly
    [InlineData(-102, 1 << 30, -2, -13)]              // SRDHM -51, then -12.75 → -13
    [InlineData(100, 1 << 30, -2, 13)]                // ×0.125: 12.5 → 13
    [InlineData(-100, 1 << 30, -2, -13)]
    [InlineData(100, 1 << 30, 2, 200)]                // ×2
    [InlineData(845, 1167990230, -3, 58)]             // double rounding: exact 57.448…, SRDHM 460, /8 = 57.5 → 58
    [InlineData(int.MinValue, int.MinValue, 0, int.MaxValue)]
    public void Mbqm(int x, int mult, int shift, int expected) => Assert.Equal(expected, FixedPoint.Mbqm(x, mult, shift));

    [Theory]
    [InlineData(0.5, 1 << 30, 0)]
    [InlineData(1.0, 1 << 30, 1)]
    [InlineData(0.75, 1610612736, 0)]
    [InlineData(0.1, 1717986918, -3)]                 // 0.8·2^-3, 0.8·2^31 = 1717986918.4
    public void QuantizeMultiplier(double m, int mult, int shift) =>
        Assert.Equal((mult, shift), MultiplierQuantizer.Quantize(m));

    [Fact]
    public void QuantizeMultiplierEdgeCases()
    {
        // q·2^31 rounding up to 2^31 renormalizes: (1 − 2^-33) → mult 2^30, shift 1.
        Assert.Equal((1 << 30, 1), MultiplierQuantizer.Quantize(1 - Math.Pow(2, -33)));
        Assert.Equal((0, 0), MultiplierQuantizer.Quantize(Math.Pow(2, -40)));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiplierQuantizer.Quantize(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiplierQuantizer.Quantize(Math.Pow(2, 31)));
    }

    [Fact]
    public void Single_rounding_is_the_nearest_integer_of_the_exact_product()
    {
        var rng = new Random(31);
        for (int i = 0; i < 50000; i++)
        {
            int x = rng.Next(int.MinValue, int.MaxValue);
            int mult = rng.Next(1 << 30, int.MaxValue);
            int shift = rng.Next(-31, 8);
            double exact = x * (double)mult * Math.Pow(2, shift - 31);
            if (Math.Abs(exact) >= int.MaxValue) continue;
            int got = FixedPoint.Mbqm1(x, mult, shift);
            Assert.True(Math.Abs(got - exact) <= 0.5 + 1e-6, $"x {x} mult {mult} shift {shift}: {got} vs {exact}");
            // Ties round up: floor(exact + 0.5) when the product is exactly representable.
            if (Math.Abs(exact) < 1 << 20) Assert.Equal((int)Math.Floor(exact + 0.5), got);
        }
        // The double rounding of format 1 and the single rounding of format 2 on the case that started it.
        Assert.Equal(51, FixedPoint.Mbqm(808, 2147455243, -4));
        Assert.Equal(50, FixedPoint.Mbqm1(808, 2147455243, -4));
    }
}
