namespace EdgeAutoMl.Model.Graphs;

/// <summary>An ONNX node attribute, reduced to the kinds our ops use.</summary>
public sealed record AttributeValue
{
    /// <summary>Integer value (INT attributes).</summary>
    public long? Int { get; init; }
    /// <summary>Float value (FLOAT attributes).</summary>
    public float? Float { get; init; }
    /// <summary>String value (STRING attributes).</summary>
    public string? String { get; init; }
    /// <summary>Integer list (INTS attributes).</summary>
    public long[]? Ints { get; init; }
    /// <summary>Float list (FLOATS attributes).</summary>
    public float[]? Floats { get; init; }
}
