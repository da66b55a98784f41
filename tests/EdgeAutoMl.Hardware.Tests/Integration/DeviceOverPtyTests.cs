using System.Diagnostics;
using System.IO.Hashing;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using Xunit.Abstractions;

namespace EdgeAutoMl.Hardware.Tests.Integration;

/// <summary>The protocol client against the host-port firmware over a real pseudo-terminal.</summary>
[Collection("simulators")]
public class DeviceOverPtyTests(ITestOutputHelper output)
{
    private static readonly SimulatedRigOptions DeviceOnly = new() { WithMonitor = false };

    // FC 4 → 2: worked by hand in Run_output_matches_the_hand_computed_values.
    internal static readonly sbyte[,] W = { { 1, 2, 3, 4 }, { -5, 6, -7, 8 } };
    internal static readonly int[] Bias = [100, -50], Mult = [1 << 30, 1518500250], Shift = [-1, -3];
    internal const short ZpIn = 5, ZpOut = -3;
    internal static byte[] SmallBlob() => TestBlobs.FullyConnected8(W, Bias, Mult, Shift, ZpIn, ZpOut);

    [Fact]
    public async Task Identify_round_trips_over_the_pty()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        var info = await client.IdentifyAsync();
        Assert.Equal(1, info.ProtocolVersion);
        Assert.Equal("sim-stm32f405", info.BoardId);
        Assert.Equal(168_000_000u, info.ClockHz);
        Assert.Equal(262144u, info.ModelCapacity);
        Assert.Equal(65536u, info.ArenaCapacity);
        Assert.InRange(info.MaxChunk, (ushort)1, (ushort)1084);
        Assert.InRange(info.MaxWindow, (ushort)1, (ushort)64);
        output.WriteLine($"{rig.DevicePort}: {info}");
    }

    [Fact]
    public async Task A_blob_the_loader_rejects_is_a_named_model_invalid_nak()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        var junk = Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 + 7)).ToArray();
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.LoadModelAsync(junk));
        Assert.Equal(CommandCode.ModelCommit, e.Command);
        Assert.Equal(DeviceStatus.ModelInvalid, e.Status);
        Assert.Contains("MODEL_COMMIT", e.Message);
        Assert.Contains("MODEL_INVALID", e.Message);
        Assert.False((await client.IdentifyAsync()).HasModel); // a rejected blob is never the current model
        output.WriteLine(e.Message);
    }

    [Fact]
    public async Task A_commit_whose_crc_differs_is_refused_and_the_model_is_not_usable()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        var blob = SmallBlob();
        await client.BeginModelAsync((uint)blob.Length, Crc32.HashToUInt32(blob) ^ 0x1);
        await client.WriteModelChunkAsync(0, blob);
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.CommitModelAsync());
        Assert.Equal(DeviceStatus.ModelCrc, e.Status);
        Assert.Contains("MODEL_CRC", e.Message);
        var run = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.RunAsync(1, false));
        Assert.Equal(DeviceStatus.NoModel, run.Status);
    }

    [Fact]
    public async Task Run_output_matches_the_hand_computed_values()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        var blob = SmallBlob();
        var load = await client.LoadModelAsync(blob);
        Assert.False(load.Skipped);
        Assert.Equal(new ModelCommitInfo(8, 1, 4, 2), load.Commit); // arena: input 4 bytes at 0, output 2 bytes at 4

        sbyte[] x = [10, -20, 30, -40];
        await client.SetInputAsync(x.Select(v => (byte)v).ToArray());
        var run = await client.RunAsync(3, trigger: false);
        var y = (await client.ReadOutputAsync(2)).Select(v => (sbyte)v).ToArray();

        // By hand: x − zp = [5, −25, 25, −45].
        // c0: acc = 100 + 5 − 50 + 75 − 180 = −50;  M = 0.5·2^−1 = 0.25 → −12.5 → −13 (half away from zero); −3 − 13 = −16
        // c1: acc = −50 − 25 − 150 − 175 − 360 = −760; M = 0.7071·2^−3 → −67.18 → −67; −3 − 67 = −70
        Assert.Equal(new sbyte[] { -16, -70 }, TestBlobs.ReferenceFullyConnected(x, W, Bias, Mult, Shift, ZpIn, ZpOut));
        Assert.Equal(new sbyte[] { -16, -70 }, y);

        // The cost model: one FC op of 8 MACs at 8 bits → round(300 + 8 · 2.2) = 318 cycles per inference.
        Assert.Equal(3u, run.Count);
        Assert.Equal(318u, run.CyclesMin);
        Assert.Equal(318u, run.CyclesMax);
        Assert.Equal(3ul * 318, run.CyclesTotal);

        // Same blob again: identify reports its CRC and size, so nothing is sent.
        var again = await client.LoadModelAsync(blob);
        Assert.True(again.Skipped);
    }

    [Fact]
    public async Task Transfer_throughput_over_the_pty()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud);
        var blob = new byte[200_000];
        new Random(5).NextBytes(blob);
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<DeviceProtocolException>(() => client.LoadModelAsync(blob));
        sw.Stop();
        Assert.Equal(DeviceStatus.ModelInvalid, e.Status); // random bytes: transferred, CRC fine, loader says no
        Assert.True(client.Statistics.Retransmissions == 0, $"clean line, yet: {client.Statistics}");
        output.WriteLine($"{blob.Length} bytes in {sw.Elapsed.TotalMilliseconds:0} ms = {blob.Length / sw.Elapsed.TotalSeconds / 1024:0} KiB/s " +
                         $"(8N1 at {rig.Board.Baud} baud would be {rig.Board.Baud / 10 / 1024.0:0} KiB/s)");
    }

    [Fact]
    public async Task A_noisy_line_is_survived_through_retries()
    {
        await using var rig = await Rig.StartAsync(DeviceOnly with { FaultRate = 0.01, FaultSeed = 7 });
        // 1 % of bytes damaged both ways: a 1 KiB frame would almost never pass, small ones mostly do.
        var options = new DeviceClientOptions { MaxChunkBytes = 16, Retries = 20, ResponseTimeout = TimeSpan.FromMilliseconds(150) };
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud, options);
        var blob = SmallBlob();
        var load = await client.LoadModelAsync(blob);
        var info = await client.IdentifyAsync();
        Assert.Equal(Crc32.HashToUInt32(blob), info.ModelCrc);
        Assert.Equal((uint)blob.Length, info.ModelSize);
        Assert.NotNull(load.Commit);
        await client.SetInputAsync(new byte[] { 10, unchecked((byte)-20), 30, unchecked((byte)-40) });
        await client.RunAsync(2, false, TimeSpan.FromMilliseconds(300));
        Assert.Equal(new byte[] { unchecked((byte)-16), unchecked((byte)-70) }, await client.ReadOutputAsync(2));
        Assert.True(client.Statistics.Retransmissions > 0, "the line was noisy, so something must have been resent");
        output.WriteLine($"noisy line: {client.Statistics}");
    }

    [Fact]
    public async Task A_device_that_goes_away_is_unreachable()
    {
        var rig = await Rig.StartAsync(DeviceOnly);
        await using var client = DeviceClient.Open(rig.DevicePort, rig.Board.Baud, new DeviceClientOptions { ResponseTimeout = TimeSpan.FromMilliseconds(300), Retries = 1 });
        await client.IdentifyAsync();
        await rig.DisposeAsync(); // kills the firmware: the pty's master closes
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.IdentifyAsync());
        Assert.True(e is DeviceUnreachableException, $"expected DeviceUnreachableException, got {e.GetType().Name}: {e.Message}");
        Assert.Contains(rig.DevicePort, e.Message);
    }
}

[CollectionDefinition("simulators", DisableParallelization = true)]
public class SimulatorCollection;
