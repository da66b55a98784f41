using System.Device.Gpio;
using System.Device.I2c;
using EdgeAutoMl.Hardware.Monitors.Ina;
using EdgeAutoMl.Hardware.Monitors.Ppk2;
using EdgeAutoMl.Hardware.Monitors.Sampling;
using EdgeAutoMl.Hardware.Monitors.Text;

namespace EdgeAutoMl.Hardware.Monitors;

/// <summary>Opens the monitor a <see cref="MonitorSpec"/> names (ppk2, ina226, ina219, text).</summary>
public static class MonitorFactory
{
    /// <summary>Opens it for a board with the given supply, trigger channel and PPK2 sample rate.</summary>
    public static async Task<IPowerMonitor> OpenAsync(MonitorSpec spec, double supplyVolts, int triggerChannel, double ppk2RateHz, CancellationToken ct)
    {
        switch (spec.Kind)
        {
            case "ppk2":
                return await Ppk2Monitor.OpenAsync(spec.Target,
                    new Ppk2MonitorOptions { SupplyMillivolts = (int)Math.Round(supplyVolts * 1000), SampleRateHz = ppk2RateHz }, ct);
            case "ina226":
            case "ina219":
            {
                var (bus, addr) = spec.I2cAddress();
                double shunt = spec.Number("shunt", 0.1), max = spec.Number("max", 0.4);
                var device = I2cDevice.Create(new I2cConnectionSettings(bus, addr));
                ICurrentSource source;
                try
                {
                    source = spec.Kind == "ina226"
                        ? new Ina226(device, new Ina226Settings
                        {
                            ShuntOhms = shunt, MaxCurrentAmps = max,
                            Averaging = spec.Integer("avg") ?? 1, ConversionMicroseconds = spec.Integer("ct") ?? 140,
                        })
                        : new Ina219Source(device, shunt, max);
                }
                catch { device.Dispose(); throw; }
                return WithGpio(source, spec.Integer("gpio"), supplyVolts, triggerChannel);
            }
            case "text":
            {
                var format = new TextSampleFormat
                {
                    Unit = spec.Options.GetValueOrDefault("unit", "mA"), RateHz = spec.Number("rate", 1000),
                    CurrentColumn = spec.Integer("col") ?? 0, TriggerColumn = spec.Integer("trigger"),
                };
                return TextStreamMonitor.Open(spec.Target, spec.Integer("baud") ?? 115200, format, supplyVolts, triggerChannel);
            }
            default:
                throw new ArgumentException($"--monitor '{spec.Text}': {spec.Kind} is opened by the simulator, not here");
        }
    }

    private static PolledMonitor WithGpio(ICurrentSource source, int? pin, double supplyVolts, int triggerChannel)
    {
        if (pin is not { } p) return new PolledMonitor(source, null, null, supplyVolts, triggerChannel);
        GpioController gpio;
        try
        {
            gpio = new GpioController();
            gpio.OpenPin(p, PinMode.Input);
        }
        catch (Exception e)
        {
            source.Dispose();
            throw new PowerMonitorException($"{source.Name}: cannot open GPIO {p} for the trigger line: {e.Message} (is the user in the gpio group?)", e);
        }
        return new PolledMonitor(source, () => gpio.Read(p) == PinValue.High, gpio, supplyVolts, triggerChannel);
    }
}
