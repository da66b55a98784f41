using EdgeAutoMl.Model.Graphs;

namespace EdgeAutoMl.Model.Quantization;

/// <summary>A quantized activation tensor.</summary>
public sealed class QTensor
{
    /// <summary>ONNX value name.</summary>
    public required string Name { get; init; }
    /// <summary>Blob dims, batch dimension dropped: [F] or [C,H,W].</summary>
    public required int[] Dims { get; init; }
    /// <summary>The ONNX shape (batch included), for the QDQ export.</summary>
    public required int[] OnnxShape { get; init; }
    /// <summary>Scale and zero point.</summary>
    public required QuantParams Quant { get; init; }
    /// <summary>Element count.</summary>
    public int Elements => Dims.Aggregate(1, (a, b) => a * b);
    /// <summary>Bytes in the arena (2 per element for int16).</summary>
    public int Bytes => Elements * Quant.ElementBytes;
    /// <summary>Blob dtype code (1 = int8, 2 = int16).</summary>
    public byte DType => Quant.Bits == 16 ? Packing.BlobFormat.DTypeInt16 : Packing.BlobFormat.DTypeInt8;
}

/// <summary>One integer op; tensors are indices into <see cref="IntegerGraph.Tensors"/>.</summary>
public abstract class QOp
{
    /// <summary>Source node (its attributes are reused by the QDQ export).</summary>
    public required Node Source { get; init; }
    /// <summary>Input tensor index.</summary>
    public required int Input { get; init; }
    /// <summary>Output tensor index.</summary>
    public required int Output { get; init; }
    /// <summary>Inputs after <see cref="Input"/> (ADD, CONCAT).</summary>
    public int[] ExtraInputs { get; init; } = [];
    /// <summary>Every input tensor index, in record order.</summary>
    public int[] AllInputs => [Input, .. ExtraInputs];
    /// <summary>Float bounds of the Relu/Clip this op applies (fused or standalone), for the QDQ export.</summary>
    public (float lo, float hi)? ActivationRange { get; init; }
}

/// <summary>Shared parts of FULLY_CONNECTED and CONV2D.</summary>
public abstract class QLinearOp : QOp
{
    /// <summary>Weight bits (2..8).</summary>
    public required int Bits { get; init; }
    /// <summary>Output channels.</summary>
    public required int Channels { get; init; }
    /// <summary>Values per output channel.</summary>
    public required int RowLength { get; init; }
    /// <summary>Quantized weights, row per output channel.</summary>
    public required sbyte[] Weights { get; init; }
    /// <summary>Per-channel weight scales.</summary>
    public required float[] WeightScales { get; init; }
    /// <summary>Bias with scale s_in·s_w[c]: stored as i32 for an int8 input, i64 for an int16 input.</summary>
    public required long[] Bias { get; init; }
    /// <summary>Q31 multipliers.</summary>
    public required int[] Mult { get; init; }
    /// <summary>Shifts.</summary>
    public required int[] Shift { get; init; }
    /// <summary>Clamp low bound (fused Relu raises it to the output zero point).</summary>
    public required int ActMin { get; init; }
    /// <summary>Clamp high bound.</summary>
    public required int ActMax { get; init; }
    /// <summary>True when a Relu or Clip was fused into the clamp.</summary>
    public required bool FusedRelu { get; init; }
    /// <summary>The fused Relu/Clip node (its op and bounds are re-emitted by the QDQ export).</summary>
    public Node? FusedActivation { get; init; }
    /// <summary>Squared weight quantization error (diagnostics: MSE vs max-abs).</summary>
    public double WeightSquaredError { get; init; }
}

/// <summary>FULLY_CONNECTED (op 1): canonical Gemm.</summary>
public sealed class QFullyConnected : QLinearOp;

/// <summary>CONV2D (op 2).</summary>
public sealed class QConv2D : QLinearOp
{
    /// <summary>Input channels per group.</summary>
    public required int ChannelsPerGroup { get; init; }
    /// <summary>Group count.</summary>
    public required int Group { get; init; }
    /// <summary>Window geometry.</summary>
    public required Reference.SpatialGeometry Geometry { get; init; }
}

/// <summary>MAX_POOL (op 3): output quantization equals input's.</summary>
public sealed class QMaxPool : QOp
{
    /// <summary>Window geometry.</summary>
    public required Reference.SpatialGeometry Geometry { get; init; }
}

/// <summary>GLOBAL_AVG_POOL (op 4).</summary>
public sealed class QGlobalAvgPool : QOp
{
    /// <summary>Q31 multiplier of s_in/(s_out·H·W).</summary>
    public required int Mult { get; init; }
    /// <summary>Shift.</summary>
    public required int Shift { get; init; }
    /// <summary>Clamp low bound.</summary>
    public required int ActMin { get; init; }
    /// <summary>Clamp high bound.</summary>
    public required int ActMax { get; init; }
}

/// <summary>CLAMP (op 5): a Relu that could not be fused; quantization equals input's.</summary>
public sealed class QClamp : QOp
{
    /// <summary>Clamp low bound.</summary>
    public required int ActMin { get; init; }
    /// <summary>Clamp high bound.</summary>
    public required int ActMax { get; init; }
}

/// <summary>RESHAPE (op 6): Flatten/Reshape, a byte copy.</summary>
public sealed class QReshape : QOp;

/// <summary>ADD (op 7) of two activations, TFLite int8 Add arithmetic.</summary>
public sealed class QAdd : QOp
{
    /// <summary>Left shift applied to both inputs (20).</summary>
    public required int LeftShift { get; init; }
    /// <summary>Input 1 multiplier (s1 / 2·max(s1,s2)).</summary>
    public required (int mult, int shift) In1 { get; init; }
    /// <summary>Input 2 multiplier.</summary>
    public required (int mult, int shift) In2 { get; init; }
    /// <summary>Output multiplier (2·max(s1,s2) / (2^left · s_out)).</summary>
    public required (int mult, int shift) Out { get; init; }
    /// <summary>Clamp low bound (a fused Relu raises it).</summary>
    public required int ActMin { get; init; }
    /// <summary>Clamp high bound.</summary>
    public required int ActMax { get; init; }
    /// <summary>The fused Relu/Clip node, if any.</summary>
    public Node? FusedActivation { get; init; }
}

/// <summary>
/// LUT (op 8): an element-wise function tabulated over the 256 int8 inputs (table[x + 128] = y),
/// or for an int16 input over 513 points 128 apart, interpolated linearly.
/// </summary>
public sealed class QLut : QOp
{
    /// <summary>256 entries (int8 input) or 513 entries (int16 input), values in the output's q range.</summary>
    public required int[] Table { get; init; }
    /// <summary>The scalar of an Add/Mul by a constant (null for the unary functions).</summary>
    public float? Constant { get; init; }
}

/// <summary>AVG_POOL (op 9): output quantization equals input's.</summary>
public sealed class QAvgPool : QOp
{
    /// <summary>Window geometry.</summary>
    public required Reference.SpatialGeometry Geometry { get; init; }
    /// <summary>Divide by the whole window (padding counts as zeros) instead of the real positions.</summary>
    public required bool CountIncludePad { get; init; }
}

/// <summary>TRANSPOSE (op 10) of the blob dims.</summary>
public sealed class QTranspose : QOp
{
    /// <summary>Permutation of the blob dims (batch excluded), padded to 4 with identity.</summary>
    public required int[] Perm { get; init; }
}

/// <summary>PAD (op 11), constant mode, over the blob dims.</summary>
public sealed class QPad : QOp
{
    /// <summary>Begin pads of the 4 blob dims.</summary>
    public required int[] Begin { get; init; }
    /// <summary>End pads of the 4 blob dims.</summary>
    public required int[] End { get; init; }
    /// <summary>The constant, quantized with the input's parameters.</summary>
    public required int Value { get; init; }
}

/// <summary>CONCAT (op 12): inputs requantized to the output.</summary>
public sealed class QConcat : QOp
{
    /// <summary>Blob axis.</summary>
    public required int Axis { get; init; }
    /// <summary>Per-input Q31 multipliers.</summary>
    public required int[] Mult { get; init; }
    /// <summary>Per-input shifts.</summary>
    public required int[] Shift { get; init; }
}

/// <summary>The quantized model before packing: tensors, ops in execution order, input and output.</summary>
public sealed class IntegerGraph
{
    /// <summary>Activation tensors.</summary>
    public required List<QTensor> Tensors { get; init; }
    /// <summary>Ops in execution order.</summary>
    public required List<QOp> Ops { get; init; }
    /// <summary>Input tensor index.</summary>
    public required int Input { get; init; }
    /// <summary>Output tensor index.</summary>
    public required int Output { get; init; }
    /// <summary>Blob format version to write: 2 (single-rounding requantization) or 1 (gemmlowp double rounding).</summary>
    public ushort FormatVersion { get; init; } = Packing.BlobFormat.Version;
    /// <summary>A trailing Softmax left to the host (applied in float to the dequantized output).</summary>
    public Node? HostSoftmax { get; init; }
}
