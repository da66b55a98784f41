using Google.Protobuf;
using Onnx;

namespace EdgeAutoMl.Model.Tests;

/// <summary>Builds tiny ONNX models in tests.</summary>
internal static class OnnxBuilder
{
    public static ModelProto ModelOf(GraphProto g)
    {
        var m = new ModelProto { IrVersion = 7, Graph = g };
        m.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return m;
    }

    public static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "N" } : new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = 1, Shape = shape } } };
    }

    public static TensorProto Floats(string name, long[] dims, float[] v)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.AddRange(dims);
        t.FloatData.AddRange(v);
        return t;
    }

    public static NodeProto Node(string op, string name, string[] ins, string[] outs)
    {
        var n = new NodeProto { OpType = op, Name = name };
        n.Input.AddRange(ins);
        n.Output.AddRange(outs);
        return n;
    }

    /// <summary>x[N,4] → Gemm(W[3,4], transB) → op → y.</summary>
    public static ModelProto GemmThen(string op)
    {
        var g = new GraphProto { Name = "t" };
        g.Input.Add(Value("x", -1, 4));
        g.Output.Add(Value("y", -1, 3));
        g.Initializer.Add(Floats("W", [3, 4], Enumerable.Range(0, 12).Select(i => i * 0.1f - 0.5f).ToArray()));
        var gemm = Node("Gemm", "fc", ["x", "W"], ["h"]);
        gemm.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        g.Node.Add(gemm);
        g.Node.Add(Node(op, "after", ["h"], ["y"]));
        return ModelOf(g);
    }

    public static string Save(ModelProto m)
    {
        var p = TestPaths.TempFile(".onnx");
        File.WriteAllBytes(p, m.ToByteArray());
        return p;
    }
}
