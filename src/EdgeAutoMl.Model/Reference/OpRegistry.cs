using EdgeAutoMl.Model.Reference.Kernels;

namespace EdgeAutoMl.Model.Reference;

/// <summary>The operators the loader accepts and the float engine runs.</summary>
public static class OpRegistry
{
    private static readonly Dictionary<string, IOpKernel> Kernels = new()
    {
        ["Gemm"] = new GemmKernel(),
        ["MatMul"] = new MatMulKernel(),
        ["Add"] = BinaryKernel.Add(),
        ["Mul"] = BinaryKernel.Mul(),
        ["Clip"] = new ClipKernel(),
        ["Sigmoid"] = UnaryKernel.Sigmoid(),
        ["HardSigmoid"] = UnaryKernel.HardSigmoid(),
        ["HardSwish"] = UnaryKernel.HardSwish(),
        ["LeakyRelu"] = UnaryKernel.LeakyRelu(),
        ["AveragePool"] = new AveragePoolKernel(),
        ["Concat"] = new ConcatKernel(),
        ["Transpose"] = new TransposeKernel(),
        ["Pad"] = new PadKernel(),
        ["Softmax"] = new SoftmaxKernel(),
        ["Conv"] = new ConvKernel(),
        ["Relu"] = new ReluKernel(),
        ["MaxPool"] = new MaxPoolKernel(),
        ["GlobalAveragePool"] = new GlobalAveragePoolKernel(),
        ["Flatten"] = new FlattenKernel(),
        ["Reshape"] = new ReshapeKernel(),
        ["BatchNormalization"] = new BatchNormalizationKernel(),
        ["Identity"] = new IdentityKernel(),
        ["Dropout"] = new IdentityKernel(),
    };

    /// <summary>Supported ONNX op types (default domain).</summary>
    public static IReadOnlyList<string> SupportedOps { get; } = Kernels.Keys.Order(StringComparer.Ordinal).ToArray();

    internal static IOpKernel? Find(string opType) => Kernels.GetValueOrDefault(opType);

    /// <summary>The scalar function of an element-wise unary node (Sigmoid, HardSigmoid, HardSwish, LeakyRelu).</summary>
    internal static Func<float, float> UnaryFunction(Graphs.Node node) =>
        Find(node.OpType) is UnaryKernel u ? u.Function(node) : throw new InvalidOperationException($"{node.Where} is not an element-wise unary op");
}
