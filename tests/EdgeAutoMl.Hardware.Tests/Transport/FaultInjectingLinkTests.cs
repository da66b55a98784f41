using EdgeAutoMl.Hardware.Transport;
using Nerdbank.Streams;

namespace EdgeAutoMl.Hardware.Tests.Transport;

public class FaultInjectingLinkTests
{
    private static async Task<byte[]> Pass(double rate, int seed, byte[] data)
    {
        var (a, b) = FullDuplexStream.CreatePair();
        await using var sender = new FaultInjectingLink(new StreamLink(a, "pipe-a"), rate, seed);
        await using var receiver = new StreamLink(b, "pipe-b");
        await sender.WriteAsync(data);
        await sender.WriteAsync(new byte[] { 0xEE }); // end marker, may itself be hit; read until time runs out instead
        var received = new List<byte>();
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        try { while (true) { int n = await receiver.ReadAsync(buffer, cts.Token); received.AddRange(buffer.AsSpan(0, n).ToArray()); } }
        catch (OperationCanceledException) { }
        return received.ToArray();
    }

    [Fact]
    public async Task Rate_zero_passes_every_byte()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var got = await Pass(0, 1, data);
        Assert.Equal(data.Append((byte)0xEE), got);
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
