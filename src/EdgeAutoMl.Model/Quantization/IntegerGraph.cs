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
    /// <summary>Element count (= bytes for int8).</summary>
    public int Elements => Dims.Aggregate(1, (a, b) => a * b);
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
    /// <summary>int32 bias (scale s_in·s_w[c]).</summary>
    public required int[] Bias { get; init; }
    /// <summary>Q31 multipliers.</summary>
    public required int[] Mult { get; init; }
    /// <summary>Shifts.</summary>
    public required int[] Shift { get; init; }
    /// <summary>Clamp low bound (fused Relu raises it to the output zero point).</summary>
    public required int ActMin { get; init; }
    /// <summary>Clamp high bound.</summary>
    public required int ActMax { get; init; }
    /// <summary>True when a Relu was fused into the clamp.</summary>
    public required bool FusedRelu { get; init; }
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
}
