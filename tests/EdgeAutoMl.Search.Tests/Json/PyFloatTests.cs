using CsCheck;
using EdgeAutoMl.Search.Json;

namespace EdgeAutoMl.Search.Tests.Json;

public class PyFloatTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1.2345e20, "1.2345e+20")]
    [InlineData(123.456, "123.456")]
    [InlineData(0.10721624896298901, "0.10721624896298901")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    public void Formats_like_python_repr(double value, string expected) => Assert.Equal(expected, PyFloat.Repr(value));

    [Fact]
    public void Round_trips_every_finite_double()
    {
        CsCheck.Gen.Double.Where(double.IsFinite).Sample(d =>
            Assert.Equal(d, double.Parse(PyFloat.Repr(d), System.Globalization.CultureInfo.InvariantCulture)));
    }
}
