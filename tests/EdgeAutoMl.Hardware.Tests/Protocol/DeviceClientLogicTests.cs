using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeAutoMl.Hardware.Framing;
using EdgeAutoMl.Hardware.Protocol;

namespace EdgeAutoMl.Hardware.Tests.Protocol;

public class DeviceClientLogicTests
{
    // Short enough that the tests which wait out a timeout stay quick, long enough that a scripted device's answer
    // always lands in time on a loaded machine: several tests count the exact frames sent, and a late answer would add a
    // resend (at 150 ms this was a flake waiting to happen).
    private static readonly DeviceClientOptions Fast = new() { ResponseTimeout = TimeSpan.FromSeconds(1), RunTimeout = TimeSpan.FromSeconds(1), Retries = 2 };

    [Fact]
    public async Task Identify_is_parsed()
    {
        await using var dev = new ScriptedDevice((f, d) => d.AckAsync(f, ScriptedDevice.IdentifyPayload()), out var link);
        await using var client = new DeviceClient(link, Fast);
        var info = await client.IdentifyAsync();
        Assert.Equal("testboar", info.BoardId);
        Assert.Equal(168_000_000u, info.ClockHz);
        Assert.Equal((ushort)64, info.MaxChunk);
        Assert.Equal("0.1", info.FirmwareVersionText);
        Assert.False(info.HasModel);
    }

    [Fact]
    public async Task A_nak_is_named_with_command_seq_status_and_reason()
    {
        await using var dev = new ScriptedDevice((f, d) =>
        {
            var p = new byte[4 + 8];
            BinaryPrimitives.WriteUInt32LittleEndian(p, 3);
            "no model"u8.CopyTo(p.AsSpan(4));
            return d.SendAsync((byte)(f.Header.Kind | 0x80), f.Header.Seq, 8, p);
        }, out var link);
        await using var client = new DeviceClient(link, Fast);
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.RunAsync(10, true));
        Assert.Equal(CommandCode.Run, e.Command);
        Assert.Equal(DeviceStatus.NoModel, e.Status);
        Assert.Equal(3u, e.DetailCode);
        Assert.Contains($"RUN (seq {e.Seq}) on pipe:test-device: NAK NO_MODEL (8) detail 3: no model", e.Message);
        Assert.Single(dev.Received); // a NAK is an answer, not a reason to resend
    }

    [Fact]
    public async Task A_lost_response_is_retried_with_the_same_bytes()
    {
        int calls = 0;
        await using var dev = new ScriptedDevice((f, d) =>
            Interlocked.Increment(ref calls) == 1 ? Task.CompletedTask : d.AckAsync(f), out var link);
        await using var client = new DeviceClient(link, Fast);
        await client.ResetAsync();
        Assert.Equal(2, dev.Received.Count);
        Assert.Equal(dev.Received[0], dev.Received[1]);
        Assert.Equal(1, client.Statistics.Retransmissions);
        Assert.Equal(1, client.Statistics.Timeouts);
    }

    [Fact]
    public async Task A_bad_frame_nak_triggers_an_immediate_resend()
    {
        int calls = 0;
        await using var dev = new ScriptedDevice((f, d) =>
            Interlocked.Increment(ref calls) == 1 ? d.SendAsync(0xFF, 0xFFFF, 1, []) : d.AckAsync(f), out var link);
        await using var client = new DeviceClient(link, Fast with { ResponseTimeout = TimeSpan.FromSeconds(30) });
        await client.ResetAsync(); // would take 30 s if the NAK were ignored
        Assert.Equal(1, client.Statistics.BadFrameNaks);
        Assert.Equal(0, client.Statistics.Timeouts);
    }

    [Fact]
    public async Task Silence_fails_after_the_retries_with_a_named_error()
    {
        await using var dev = new ScriptedDevice((f, d) => Task.CompletedTask, out var link);
        await using var client = new DeviceClient(link, Fast);
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.IdentifyAsync());
        Assert.Null(e.Status);
        Assert.Contains("IDENTIFY", e.Message);
        Assert.Contains("no valid response after 3 attempts", e.Message);
        Assert.Equal(3, dev.Received.Count);
    }

    [Fact]
    public async Task A_closed_port_is_unreachable_not_a_timeout()
    {
        var dev = new ScriptedDevice((f, d) => Task.CompletedTask, out var link);
        await using var client = new DeviceClient(link, Fast with { ResponseTimeout = TimeSpan.FromSeconds(30) });
        await dev.DisposeAsync();
        var e = await Assert.ThrowsAsync<DeviceUnreachableException>(() => client.IdentifyAsync());
        Assert.Contains("pipe:test-device", e.Message);
    }

    [Fact]
    public async Task Transfer_keeps_up_to_the_window_in_flight_and_covers_the_blob()
    {
        var blob = Enumerable.Range(0, 1000).Select(i => (byte)(i * 13)).ToArray();
        var image = new byte[blob.Length];
        var pendingChunks = new List<Frame>();
        int maxInFlight = 0;
        await using var dev = new ScriptedDevice(async (f, d) =>
        {
            switch ((CommandCode)f.Header.Kind)
            {
                case CommandCode.Identify: await d.AckAsync(f, ScriptedDevice.IdentifyPayload(maxChunk: 64, window: 3)); break;
                case CommandCode.ModelBegin: await d.AckAsync(f); break;
                case CommandCode.ModelChunk:
                    uint off = BinaryPrimitives.ReadUInt32LittleEndian(f.Payload);
                    f.Payload.AsSpan(4).CopyTo(image.AsSpan((int)off));
                    pendingChunks.Add(f);
                    maxInFlight = Math.Max(maxInFlight, pendingChunks.Count);
                    // Answer lazily: only once the host has filled its window (or the blob ends).
                    if (pendingChunks.Count == 3 || off + f.Payload.Length - 4 == blob.Length)
                    { foreach (var p in pendingChunks) await d.AckAsync(p); pendingChunks.Clear(); }
                    break;
                case CommandCode.ModelCommit:
                    Assert.Equal(Crc32.HashToUInt32(image), Crc32.HashToUInt32(blob));
                    await d.AckAsync(f, new byte[14]);
                    break;
            }
        }, out var link);
        // The device answers lazily, so a learned (short) retransmit timeout could fire on a loaded machine: pin the floor
        // to the 5 s response timeout, since this test is about the window, not about timeouts.
        await using var client = new DeviceClient(link, Fast with { ResponseTimeout = TimeSpan.FromSeconds(5), MinResponseTimeout = TimeSpan.FromSeconds(5) });
        var progress = new List<double>();
        var result = await client.LoadModelAsync(blob, new Progress<double>(progress.Add));
        Assert.False(result.Skipped);
        Assert.Equal(blob, image);
        Assert.Equal(3, maxInFlight);
        Assert.Equal(blob.Length, result.BytesSent);
        Assert.Equal(0, client.Statistics.Retransmissions);
    }

    [Fact]
    public async Task A_model_already_on_the_device_is_not_sent_again()
    {
        var blob = new byte[] { 1, 2, 3, 4, 5 };
        await using var dev = new ScriptedDevice((f, d) =>
            d.AckAsync(f, ScriptedDevice.IdentifyPayload(Crc32.HashToUInt32(blob), (uint)blob.Length)), out var link);
        await using var client = new DeviceClient(link, Fast);
        var result = await client.LoadModelAsync(blob);
        Assert.True(result.Skipped);
        Assert.Single(dev.Received); // only IDENTIFY
    }
}
