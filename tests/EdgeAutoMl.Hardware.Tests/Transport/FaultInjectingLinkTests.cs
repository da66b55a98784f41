using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Transport;
using Nerdbank.Streams;

namespace EdgeAutoMl.Hardware.Tests.Transport;

public class FaultInjectingLinkTests
{
    // Sends data through the fault injector, then closes the sending end: the receiver reads until the end of the
    // stream, so what arrived is known without waiting for the line to fall quiet (a timing guess a loaded machine loses).
    private static async Task<byte[]> Pass(double rate, int seed, byte[] data)
    {
        var (a, b) = FullDuplexStream.CreatePair();
        var sender = new FaultInjectingLink(new StreamLink(a, "pipe-a"), rate, seed);
        await using var receiver = new StreamLink(b, "pipe-b");
        await sender.WriteAsync(data);
        await sender.DisposeAsync();
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // liveness only
        try { while (true) { int n = await receiver.ReadAsync(buffer, cts.Token); received.AddRange(buffer.AsSpan(0, n).ToArray()); } }
        catch (DeviceUnreachableException) { } // the end of the stream
        return received.ToArray();
    }

    [Fact]
    public async Task Rate_zero_passes_every_byte()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var got = await Pass(0, 1, data);
        Assert.Equal(data, got);
    }

    [Fact]
    public async Task Faults_are_reproducible_by_seed_and_near_the_rate()
    {
        var data = Enumerable.Range(0, 20000).Select(i => (byte)(i * 7)).ToArray();
        var first = await Pass(0.05, 42, data);
        var again = await Pass(0.05, 42, data);
        var other = await Pass(0.05, 43, data);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var link = new FaultInjectingLink(new StreamLink(new MemoryStream(), "m"), 0.05, 42);
        link.Corrupt(data);
        Assert.InRange(link.FaultsInjected, 800, 1200); // 5 % of 20000 = 1000
    }
}
