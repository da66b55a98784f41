using System.Buffers.Binary;
using EdgeAutoMl.Model.Graphs;
using Onnx;

namespace EdgeAutoMl.Model.Onnx;

/// <summary>Converts ONNX TensorProtos (float and integer types, inline data) to our arrays.</summary>
public static class TensorProtoConverter
{
    /// <summary>Reads <paramref name="t"/> as an <see cref="Initializer"/>; <paramref name="where"/> prefixes errors.</summary>
    public static Initializer ToInitializer(TensorProto t, string where)
    {
        string at = $"{where}: tensor '{t.Name}'";
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new ModelLoadException($"{at} uses external data, which is not supported; save the model with all tensors inline");
        GraphValidator.CheckShape(t.Dims.Count == 0 ? [] : t.Dims.ToArray(), at);
        var shape = t.Dims.Select(d => (int)d).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var raw = t.RawData.Span;
        bool hasRaw = !t.RawData.IsEmpty;

        float[] data = new float[count];
        long[]? ints = null;
        var type = (TensorProto.Types.DataType)t.DataType;
        switch (type)
        {
            case TensorProto.Types.DataType.Float:
                if (hasRaw) { Need(raw.Length, count * 4L, at); for (int i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]); }
                else { Need(t.FloatData.Count, count, at); t.FloatData.CopyTo(data, 0); }
                break;
            case TensorProto.Types.DataType.Double:
                if (hasRaw) { Need(raw.Length, count * 8L, at); for (int i = 0; i < count; i++) data[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]); }
                else { Need(t.DoubleData.Count, count, at); for (int i = 0; i < count; i++) data[i] = (float)t.DoubleData[i]; }
                break;
            case TensorProto.Types.DataType.Int64:
                ints = new long[count];
                if (hasRaw) { Need(raw.Length, count * 8L, at); for (int i = 0; i < count; i++) ints[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]); }
                else { Need(t.Int64Data.Count, count, at); t.Int64Data.CopyTo(ints, 0); }
                break;
            case TensorProto.Types.DataType.Int32:
            case TensorProto.Types.DataType.Int8:
            case TensorProto.Types.DataType.Uint8:
            case TensorProto.Types.DataType.Int16:
            case TensorProto.Types.DataType.Uint16:
            case TensorProto.Types.DataType.Bool:
            {
                ints = new long[count];
                int size = type switch
                {
                    TensorProto.Types.DataType.Int32 => 4,
                    TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 2,
                    _ => 1,
                };
                if (hasRaw)
                {
                    Need(raw.Length, (long)count * size, at);
                    for (int i = 0; i < count; i++)
                        ints[i] = type switch
                        {
                            TensorProto.Types.DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]),
                            TensorProto.Types.DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw[(i * 2)..]),
                            TensorProto.Types.DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]),
                            TensorProto.Types.DataType.Int8 => (sbyte)raw[i],
                            _ => raw[i],
                        };
                }
                else
                {
                    Need(t.Int32Data.Count, count, at);
                    for (int i = 0; i < count; i++) ints[i] = t.Int32Data[i];
                }
                break;
            }
            default:
                throw new ModelLoadException($"{at} has data type {type}, which is not supported (float, double, int8..int64, uint8/16, bool)");
        }
        if (ints != null)
            for (int i = 0; i < count; i++) data[i] = ints[i];
        return new Initializer(t.Name, shape, data, ints);
    }

    private static void Need(long have, long need, string at)
    {
        if (have != need) throw new ModelLoadException($"{at}: data holds {have} units but its shape needs {need}");
    }
}
