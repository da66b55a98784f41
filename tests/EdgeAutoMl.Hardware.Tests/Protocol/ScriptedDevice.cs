using System.Buffers.Binary;
using EdgeAutoMl.Hardware.Framing;
using EdgeAutoMl.Hardware.Transport;
using Nerdbank.Streams;

namespace EdgeAutoMl.Hardware.Tests.Protocol;

/// <summary>
/// The far end of an in-process pipe for client-logic tests (retries, NAK naming, windowing).
/// The real device is exercised by the integration tests over a pty; this only answers frames as scripted.
/// </summary>
internal sealed class ScriptedDevice : IAsyncDisposable
{
    private readonly StreamLink _link;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<byte[]> _received = new();

    public ScriptedDevice(Func<Frame, ScriptedDevice, Task> handler, out ISerialLink hostLink)
    {
        var (a, b) = FullDuplexStream.CreatePair();
        hostLink = new StreamLink(a, "pipe:test-device");
        _link = new StreamLink(b, "pipe:device-side");
        _loop = Task.Run(async () =>
        {
            var reader = new FrameReader(_link);
            try
            {
                while (true)
                {
                    var enc = await reader.ReadEncodedFrameAsync(_stop.Token);
                    lock (_received) _received.Add(enc);
                    if (FrameCodec.TryDecode(enc, out var f) != FrameDecodeError.None)
                    { await SendAsync(0xFF, 0xFFFF, 1, []); continue; }
                    await handler(f!, this);
                }
            }
            catch (OperationCanceledException) { }
        });
    }

    public IReadOnlyList<byte[]> Received { get { lock (_received) return _received.ToList(); } }

    public Task SendAsync(byte kind, ushort seq, byte status, byte[] payload) =>
        _link.WriteAsync(FrameCodec.Encode(new FrameHeader(kind, seq, status), payload)).AsTask();

    public Task AckAsync(Frame request, byte[]? payload = null) =>
        SendAsync((byte)(request.Header.Kind | 0x80), request.Header.Seq, 0, payload ?? []);

    public static byte[] IdentifyPayload(uint modelCrc = 0, uint modelSize = 0, ushort maxChunk = 64, ushort window = 4)
    {
        var p = new byte[33 + 4];
        BinaryPrimitives.WriteUInt16LittleEndian(p, 1);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(2), 0x0001);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(4), 168_000_000);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(8), 65536);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(12), 32768);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(16), maxChunk);
        BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(18), window);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(20), modelCrc);
        BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(24), modelSize);
        p[28] = 8;
        "testboar"u8.CopyTo(p.AsSpan(29));
        return p;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop; } catch { }
        await _link.DisposeAsync();
    }
}
