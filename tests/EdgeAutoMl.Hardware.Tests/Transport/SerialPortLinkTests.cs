using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Transport;

namespace EdgeAutoMl.Hardware.Tests.Transport;

public class SerialPortLinkTests
{
    [Fact]
    public void A_missing_port_is_a_clear_error()
    {
        var e = Assert.Throws<DeviceUnreachableException>(() => SerialPortLink.Open("/dev/ttyACM9", 115200));
        Assert.StartsWith("cannot open serial port /dev/ttyACM9: ", e.Message);
        Assert.Equal("/dev/ttyACM9", e.Port);
    }

    [Fact]
    public void A_file_that_is_not_a_tty_is_refused()
    {
        string path = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<DeviceUnreachableException>(() => SerialPortLink.Open(path, 115200));
            Assert.StartsWith($"cannot open serial port {path}: ", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_device_client_reports_the_same_error()
    {
        var e = Assert.Throws<DeviceUnreachableException>(() => DeviceClient.Open("/dev/ttyACM9", 921600));
        Assert.Contains("/dev/ttyACM9", e.Message);
    }
}
