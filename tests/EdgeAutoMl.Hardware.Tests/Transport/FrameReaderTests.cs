using EdgeAutoMl.Hardware.Framing;
using EdgeAutoMl.Hardware.Transport;
using Nerdbank.Streams;

namespace EdgeAutoMl.Hardware.Tests.Transport;

public class FrameReaderTests
{
    // An in-process line: bytes written to Writer reach a FrameReader over the other end.
    private sealed class Pipe : IAsyncDisposable
    {
        private readonly StreamLink _far;

        public Pipe()
        {
            var (a, b) = FullDuplexStream.CreatePair();
            Writer = new StreamLink(a, "a");
            _far = new StreamLink(b, "b");
            Reader = new FrameReader(_far);
        }

        public StreamLink Writer { get; }
        public FrameReader Reader { get; }

        public async ValueTask DisposeAsync()
        {
            await Writer.DisposeAsync();
            await _far.DisposeAsync();
        }
    }

    [Fact]
    public async Task Splits_at_delimiters_across_chunks_and_skips_overlong_runs()
    {
        await using var pipe = new Pipe();
        var (writer, reader) = (pipe.Writer, pipe.Reader);
        var f1 = FrameCodec.Encode(new FrameHeader(0x81, 1, 0), new byte[] { 1, 2, 3 });
        var f2 = FrameCodec.Encode(new FrameHeader(0x82, 2, 0), new byte[700]);
        var junk = Enumerable.Repeat((byte)0x55, Frame.MaxEncodedFrame + 10).Append((byte)0).ToArray();
        var all = new byte[] { 0, 0 }.Concat(f1).Concat(junk).Concat(f2).ToArray();
        for (int i = 0; i < all.Length; i += 37) await writer.WriteAsync(all.AsMemory(i, Math.Min(37, all.Length - i)));

        var r1 = await reader.ReadEncodedFrameAsync(TimeSpan.FromSeconds(5));
        var r2 = await reader.ReadEncodedFrameAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(f1[..^1], r1);
        Assert.Equal(f2[..^1], r2);
        Assert.Equal(1, reader.OverlongDiscarded);
        Assert.Null(await reader.ReadEncodedFrameAsync(TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task A_timed_out_read_neither_replays_nor_loses_bytes()
    {
        await using var pipe = new Pipe();
        var (writer, reader) = (pipe.Writer, pipe.Reader);
        await writer.WriteAsync(new byte[] { 1, 2, 0, 3 });
        Assert.Equal(new byte[] { 1, 2 }, await reader.ReadEncodedFrameAsync(TimeSpan.FromSeconds(5)));
        // Byte 3 is half a frame: the wait for the rest times out with the buffer already consumed.
        Assert.Null(await reader.ReadEncodedFrameAsync(TimeSpan.FromMilliseconds(100)));
        await writer.WriteAsync(new byte[] { 4, 0 });
        Assert.Equal(new byte[] { 3, 4 }, await reader.ReadEncodedFrameAsync(TimeSpan.FromSeconds(5)));
    }
}
