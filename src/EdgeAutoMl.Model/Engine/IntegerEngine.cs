using EdgeAutoMl.Model.Engine.Kernels;
using EdgeAutoMl.Model.Packing;

namespace EdgeAutoMl.Model.Engine;

/// <summary>
/// The host's reference integer engine. It executes the packed blob (not the float graph)
/// with exactly MODEL_FORMAT.md's arithmetic; the firmware must produce the same bytes.
/// </summary>
public sealed class IntegerEngine
{
    private static readonly Dictionary<byte, IOpEvaluator> Kernels = new()
    {
        [BlobFormat.OpFullyConnected] = new FullyConnectedKernel(),
        [BlobFormat.OpConv2D] = new Conv2DKernel(),
        [BlobFormat.OpMaxPool] = new MaxPoolKernel(),
        [BlobFormat.OpGlobalAvgPool] = new GlobalAvgPoolKernel(),
        [BlobFormat.OpClamp] = new ClampKernel(),
        [BlobFormat.OpReshape] = new ReshapeKernel(),
        [BlobFormat.OpAdd] = new AddKernel(),
        [BlobFormat.OpLut] = new LutKernel(),
        [BlobFormat.OpAvgPool] = new AvgPoolKernel(),
        [BlobFormat.OpTranspose] = new TransposeKernel(),
        [BlobFormat.OpPad] = new PadKernel(),
        [BlobFormat.OpConcat] = new ConcatKernel(),
    };

    private readonly BlobModel _model;
    private readonly Action<byte[]>[] _steps;

    /// <summary>Default arena limit: the host stands in for a device, and no MCU we target has more RAM.</summary>
    public const int DefaultMaxArenaBytes = 1 << 20;

    /// <summary>
    /// Parses and validates the blob (as the firmware's loader does, with
    /// <paramref name="maxArenaBytes"/> as the device's arena); throws <see cref="BlobFormatException"/>.
    /// </summary>
    public IntegerEngine(byte[] blob, int maxArenaBytes = DefaultMaxArenaBytes)
    {
        _model = BlobReader.Read(blob);
        if (_model.ArenaBytes > maxArenaBytes)
            throw new BlobFormatException($"arena_bytes {_model.ArenaBytes} exceeds the engine's arena of {maxArenaBytes} bytes");
        _steps = _model.Ops.Select(op => Kernels[op.OpType].Prepare(_model, op)).ToArray();
    }

    /// <summary>Input size in bytes.</summary>
    public int InputBytes => _model.Tensors[_model.Input].Bytes;
    /// <summary>Output size in bytes.</summary>
    public int OutputBytes => _model.Tensors[_model.Output].Bytes;

    /// <summary>Runs one inference on int8 input bytes; returns the int8 output bytes.</summary>
    public byte[] Run(byte[] input)
    {
        if (input.Length != InputBytes) throw new ArgumentException($"input has {input.Length} bytes, the model needs {InputBytes}");
        var arena = new byte[_model.ArenaBytes];
        Buffer.BlockCopy(input, 0, arena, _model.Tensors[_model.Input].ArenaOffset, input.Length);
        foreach (var step in _steps) step(arena);
        var o = _model.Tensors[_model.Output];
        return arena.AsSpan(o.ArenaOffset, o.Bytes).ToArray();
    }

    /// <summary>
    /// Runs one inference and returns each op's output bytes in op order: the first place to
    /// look when the firmware and this engine disagree.
    /// </summary>
    public IReadOnlyList<byte[]> Trace(byte[] input)
    {
        if (input.Length != InputBytes) throw new ArgumentException($"input has {input.Length} bytes, the model needs {InputBytes}");
        var arena = new byte[_model.ArenaBytes];
        Buffer.BlockCopy(input, 0, arena, _model.Tensors[_model.Input].ArenaOffset, input.Length);
        var trace = new List<byte[]>();
        for (int i = 0; i < _steps.Length; i++)
        {
            _steps[i](arena);
            var t = _model.Tensors[_model.Ops[i].Outputs[0]];
            trace.Add(arena.AsSpan(t.ArenaOffset, t.Bytes).ToArray());
        }
        return trace;
    }

    /// <summary>One-shot: load <paramref name="blob"/> and run it on <paramref name="input"/>.</summary>
    public static byte[] Run(byte[] blob, byte[] input) => new IntegerEngine(blob).Run(input);
}
