using System.IO.Compression;
using EdgeAutoMl.Model.Data;

namespace EdgeAutoMl.Model.Tests;

public class NpyTests
{
    [Fact]
    public void Float32RoundTrips()
    {
        var a = new NpyArray([2, 3], [1f, -2.5f, 3e-8f, float.MaxValue, 0f, -0f]);
        var path = TestPaths.TempFile(".npy");
        NpyWriter.Write(path, a);
        var b = NpyReader.ReadFloat32(path);
        Assert.Equal(a.Shape, b.Shape);
        Assert.Equal(a.Float32, b.Float32);
    }

    [Fact]
    public void IntegerTypesRoundTripAsLabels()
    {
        var p64 = TestPaths.TempFile(".npy");
        NpyWriter.Write(p64, new NpyArray([3], new long[] { 0, 9, 4 }));
        Assert.Equal(new[] { 0, 9, 4 }, NpyReader.Read(p64).ToInt32Labels(p64));
        var p32 = TestPaths.TempFile(".npy");
        NpyWriter.Write(p32, new NpyArray([1, 2], new[] { -1, 7 }));
        var r = NpyReader.Read(p32);
        Assert.Equal(NpyDType.Int32, r.DType);
        Assert.Equal(new[] { 1, 2 }, r.Shape);
        Assert.Equal(new[] { -1, 7 }, r.Int32);
    }

    [Fact]
    public void ReadsTheSampleFiles()
    {
        var x = NpyReader.ReadFloat32(TestPaths.Sample("digits-cnn.val.x.npy"));
        Assert.Equal(new[] { 450, 1, 8, 8 }, x.Shape);
        var ds = Dataset.Load(TestPaths.Sample("digits-cnn.val.x.npy"), TestPaths.Sample("digits-cnn.val.y.npy"));
        Assert.Equal(new[] { 1, 8, 8 }, ds.SampleShape);
        Assert.All(ds.Y, y => Assert.InRange(y, 0, 9));
    }

    [Fact]
    public void ReadsVersion2Headers()
    {
        var path = TestPaths.TempFile(".npy");
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
        header += new string(' ', (64 - (12 + header.Length + 1) % 64) % 64) + "\n";
        using (var s = File.Create(path))
        {
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0]);
            s.Write(BitConverter.GetBytes((uint)header.Length));
            s.Write(System.Text.Encoding.Latin1.GetBytes(header));
            s.Write(BitConverter.GetBytes(1.5f));
            s.Write(BitConverter.GetBytes(-4f));
        }
        Assert.Equal(new[] { 1.5f, -4f }, NpyReader.ReadFloat32(path).Float32);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", "unsupported dtype '<f8'")]
    [InlineData("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", "unsupported dtype '>f4'")]
    [InlineData("{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", "Fortran-order")]
    [InlineData("{'descr': '<f4', 'shape': (2,), }", "malformed .npy header")]
    public void RefusesWhatItCannotRead(string dict, string expected)
    {
        var path = TestPaths.TempFile(".npy");
        using (var s = File.Create(path))
        {
            s.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            s.Write(BitConverter.GetBytes((ushort)(dict.Length + 1)));
            s.Write(System.Text.Encoding.Latin1.GetBytes(dict + "\n"));
            s.Write(new byte[16]);
        }
        var e = Assert.Throws<DataFormatException>(() => NpyReader.Read(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void TruncatedAndMissingFilesSayWhat()
    {
        var path = TestPaths.TempFile(".npy");
        NpyWriter.Write(path, new NpyArray([4], new float[4]));
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^3]);
        Assert.Contains("truncated", Assert.Throws<DataFormatException>(() => NpyReader.Read(path)).Message);
        Assert.Contains("file not found", Assert.Throws<DataFormatException>(() => NpyReader.Read("/nonexistent/x.npy")).Message);
        File.WriteAllText(path, "hello, not numpy");
        Assert.Contains("bad magic", Assert.Throws<DataFormatException>(() => NpyReader.Read(path)).Message);
    }

    [Fact]
    public void NpzHoldsXAndY()
    {
        var path = TestPaths.TempFile(".npz");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("x.npy").Open()) NpyWriter.Write(s, new NpyArray([2, 2], [1f, 2f, 3f, 4f]));
            using (var s = zip.CreateEntry("y.npy").Open()) NpyWriter.Write(s, new NpyArray([2], new long[] { 1, 0 }));
        }
        var ds = Dataset.LoadNpz(path);
        Assert.Equal(2, ds.Count);
        Assert.Equal(new[] { 3f, 4f }, ds.X[1]);
        Assert.Equal(new[] { 1, 0 }, ds.Y);

        var bad = TestPaths.TempFile(".npz");
        using (var zip = ZipFile.Open(bad, ZipArchiveMode.Create))
        using (var s = zip.CreateEntry("x.npy").Open()) NpyWriter.Write(s, new NpyArray([1], [1f]));
        Assert.Contains("no array 'y'", Assert.Throws<DataFormatException>(() => Dataset.LoadNpz(bad)).Message);
    }
}
