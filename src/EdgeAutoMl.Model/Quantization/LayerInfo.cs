namespace EdgeAutoMl.Model.Quantization;

/// <summary>A quantizable layer (Conv or Gemm after BN folding), the unit a search assigns bits to.</summary>
/// <param name="Name">Node name (the key in <see cref="QuantConfig.WeightBits"/>).</param>
/// <param name="OpType">"Conv" or "Gemm" (MatMul+Add appear as Gemm).</param>
/// <param name="Params">Weights plus one bias per output channel.</param>
/// <param name="Macs">Multiply-accumulates per inference.</param>
public sealed record LayerInfo(string Name, string OpType, long Params, long Macs);

/// <summary>Static costs of a packed model: what a board's budgets are checked against.</summary>
/// <param name="FlashBytes">Size of the packed blob.</param>
/// <param name="RamBytes">Activation arena the model needs (= arena_bytes).</param>
/// <param name="WeightBytes">Bit-packed weight bytes (rows byte-aligned), biases and multipliers excluded.</param>
/// <param name="Macs">Multiply-accumulates per inference (Conv and Gemm).</param>
public sealed record StaticCosts(long FlashBytes, long RamBytes, long WeightBytes, long Macs);
