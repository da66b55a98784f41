using EdgeAutoMl.Hardware.Monitors;
using EdgeAutoMl.Hardware.Monitors.Ina;

namespace EdgeAutoMl.Hardware.Tests.Monitors;

public class Ina226Tests
{
    [Fact]
    public void Calibration_follows_the_datasheet_example()
    {
        // SBOS547 §7.5: 2 mΩ shunt, 1 mA/LSB → CAL = 0.00512 / (0.001 · 0.002) = 2560.
        Assert.Equal(2560, new Ina226Settings { ShuntOhms = 0.002, CurrentLsbAmps = 0.001 }.CalibrationRegister());
        // Our default bench: 0.1 Ω, 400 mA full scale → LSB 12.207 µA, CAL = floor(4194.3) = 4194.
        Assert.Equal(4194, new Ina226Settings { ShuntOhms = 0.1, MaxCurrentAmps = 0.4 }.CalibrationRegister());
    }

    [Fact]
    public void Calibration_out_of_range_names_shunt_and_lsb()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Ina226Settings { ShuntOhms = 10, CurrentLsbAmps = 1 }.CalibrationRegister());
        Assert.Contains("shunt 10", e.Message);
    }

    [Theory]
    [InlineData(1, 140, 0x4007)]
    [InlineData(16, 1100, 0x4527)]   // AVG=010, CT=100 for both bus and shunt, continuous
    [InlineData(1024, 8244, 0x4FFF)]
    public void Configuration_register_encodes_averaging_and_conversion_time(int avg, int ct, int expected) =>
        Assert.Equal(expected, new Ina226Settings { Averaging = avg, ConversionMicroseconds = ct }.ConfigurationRegister());

    [Fact]
    public void Unsupported_averaging_is_refused_with_the_allowed_list()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Ina226Settings { Averaging = 3 }.ConfigurationRegister());
        Assert.Contains("1, 4, 16", e.Message);
    }

    [Fact]
    public void Register_conversions_use_signed_current_and_fixed_lsbs()
    {
        var s = new Ina226Settings { ShuntOhms = 0.002, CurrentLsbAmps = 0.001 };
        Assert.Equal(4.0, s.CurrentAmps(0x0FA0), 9);          // 4000 · 1 mA
        Assert.Equal(-0.001, s.CurrentAmps(0xFFFF), 9);       // two's complement
        Assert.Equal(12.0, Ina226Settings.BusVolts(0x2580), 9); // 9600 · 1.25 mV
        Assert.Equal(-2.5e-6, Ina226Settings.ShuntVolts(0xFFFF), 12);
        Assert.Equal(2 * 1100e-6 * 16, new Ina226Settings { Averaging = 16, ConversionMicroseconds = 1100 }.UpdatePeriodSeconds, 12);
    }

    [Fact]
    public void Driver_programs_config_and_calibration_then_reads_recorded_current()
    {
        var dev = new RegisterI2cDevice(1, 0x40, new() { [Ina226.ManufacturerId] = 0x5449, [Ina226.Current] = 0x0400, [Ina226.BusVoltage] = 0x0A50 });
        using var ina = new Ina226(dev, new Ina226Settings { ShuntOhms = 0.1, CurrentLsbAmps = 10e-6, Averaging = 4, ConversionMicroseconds = 140 }, ownsDevice: false);
        Assert.Equal([(Ina226.Configuration, (ushort)0x8000), (Ina226.Configuration, (ushort)0x4207), (Ina226.Calibration, (ushort)5120)], dev.Writes);
        Assert.Equal(1024 * 10.0, ina.ReadCurrentMicroamps(), 6); // 0x400 · 10 µA
        Assert.Equal(3.3, ina.ReadBusVolts(), 6);                 // 0x0A50 = 2640 · 1.25 mV
        Assert.Contains("I2C bus 1 address 0x40", ina.Name);
    }

    [Fact]
    public void Another_chip_at_the_address_is_reported_with_its_id()
    {
        var dev = new RegisterI2cDevice(1, 0x41, new() { [Ina226.ManufacturerId] = 0x1234 });
        var e = Assert.Throws<PowerMonitorException>(() => new Ina226(dev, new Ina226Settings(), ownsDevice: false));
        Assert.Contains("0x1234", e.Message);
        Assert.Contains("address 0x41", e.Message);
    }

    [Fact]
    public void Ina219_calibration_follows_its_datasheet_example()
    {
        // SBOS448 §8.5.1: 0.1 Ω, 100 µA/LSB → 0.04096 / (1e-4 · 0.1) = 4096.
        Assert.Equal(4096, Ina219Source.Calibration(0.1, 100e-6));
    }
}
