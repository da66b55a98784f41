using System.Diagnostics;
using System.Text.Json;

namespace EdgeAutoMl.Export.Tests;

public class FirmwareArtifactsTests
{
    private static readonly ArtifactManifest Manifest = new("digits-cnn", new Dictionary<string, int> { ["conv1"] = 4, ["fc"] = 2 },
        new Dictionary<string, object> { ["accuracy"] = 0.97 }, new Dictionary<string, object> { ["trial"] = 3 });

    [Theory]
    [InlineData("digits-cnn", "digits_cnn")]
    [InlineData("9lives.v2", "m_9lives_v2")]
    [InlineData("", "m_")]
    public void Model_names_become_c_identifiers(string name, string id) => Assert.Equal(id, FirmwareArtifacts.CIdentifier(name));

    [Fact]
    public void Generated_c_compiles_warning_free_and_holds_exactly_the_blob()
    {
        var blob = new byte[1000];
        new Random(7).NextBytes(blob);
        var dir = Path.Combine(Path.GetTempPath(), "eam-export-" + Guid.NewGuid().ToString("N")[..8]);
        FirmwareArtifacts.Write(dir, blob, [1, 2, 3], Manifest);

        Assert.Equal(blob, File.ReadAllBytes(Path.Combine(dir, "digits_cnn.bin")));
        // A program that prints the C array back as raw bytes: the C source is the blob, byte for byte.
        File.WriteAllText(Path.Combine(dir, "dump.c"), """
            #include <stdio.h>
            #include "digits_cnn.h"
            int main(void) { fwrite(digits_cnn_blob, 1, DIGITS_CNN_BLOB_BYTES, stdout); return 0; }
            """);
        var exe = Path.Combine(dir, "dump");
        Run("gcc", dir, "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wpedantic", "-o", exe, "dump.c", "digits_cnn.c");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        using var ms = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(ms);
        p.WaitForExit();
        Assert.Equal(blob, ms.ToArray());
    }

    [Fact]
    public void Manifest_records_hashes_versions_bits_and_metrics()
    {
        var blob = new byte[] { 0x45, 0x41, 0x4d, 0x42 };
        var dir = Path.Combine(Path.GetTempPath(), "eam-export-" + Guid.NewGuid().ToString("N")[..8]);
        FirmwareArtifacts.Write(dir, blob, [9], Manifest);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        var r = doc.RootElement;
        Assert.Equal(4, r.GetProperty("blob_bytes").GetInt32());
        Assert.Equal(System.IO.Hashing.Crc32.HashToUInt32(blob), r.GetProperty("blob_crc32").GetUInt32());
        Assert.Equal(1, r.GetProperty("protocol_version").GetInt32());
        Assert.Equal(4, r.GetProperty("weight_bits").GetProperty("conv1").GetInt32());
        Assert.Equal(0.97, r.GetProperty("metrics").GetProperty("accuracy").GetDouble());
        Assert.Equal(3, r.GetProperty("trial").GetInt32());
        Assert.Equal(64, r.GetProperty("blob_sha256").GetString()!.Length);
    }

    private static void Run(string file, string dir, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {err}");
    }
}
