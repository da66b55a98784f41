namespace EdgeAutoMl.Model.Packing;

/// <summary>A packed blob and the numbers the packer computed while writing it.</summary>
/// <param name="Blob">The blob bytes.</param>
/// <param name="ArenaBytes">Activation arena size (header field arena_bytes).</param>
/// <param name="WeightBytes">Bytes of bit-packed weight rows.</param>
public sealed record PackedModel(byte[] Blob, int ArenaBytes, int WeightBytes);
