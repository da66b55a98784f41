using System.IO.Hashing;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;
using EdgeAutoMl.Model.Engine;
using EdgeAutoMl.Model.Quantization;
using EdgeAutoMl.Orchestrator.Jobs;
using Xunit.Abstractions;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>A fact skipped, with the install line, when arm-none-eabi-gcc is missing.</summary>
public sealed class ArmGccFactAttribute : FactAttribute
{
    public ArmGccFactAttribute()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (!path.Any(d => File.Exists(Path.Combine(d, "arm-none-eabi-gcc"))))
            Skip = "arm-none-eabi-gcc not found: apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi";
    }
}

/// <summary>
/// Issue #7's export into firmware: the C that <c>edgeautoml export</c> writes is compiled into the
/// host firmware with gcc (cmake -DEDGEAUTOML_MODEL_C) and into the NUCLEO-L476RG image with
/// arm-none-eabi-gcc. The host build boots with the model loaded — nothing flashed over the wire —
/// and its outputs equal the C# integer engine's on validation samples.
/// </summary>
public class ExportFirmwareEndToEndTests(ITestOutputHelper output, ExportFirmwareEndToEndTests.ExportedModel model)
    : IClassFixture<ExportFirmwareEndToEndTests.ExportedModel>
{
    /// <summary>One search (1 trial on the simulator) and its export, shared by the tests of this class.</summary>
    public sealed class ExportedModel
    {
        public string Dir { get; } = CliHarness.TempDir();
        public string OutDir => Path.Combine(Dir, "export");
        public string CSource => Path.Combine(OutDir, "digits_mlp.c");
        public byte[] Bin => File.ReadAllBytes(Path.Combine(OutDir, "digits_mlp.bin"));
        public JsonElement Manifest => JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, "manifest.json"))).RootElement;

        public ExportedModel()
        {
            var db = Path.Combine(Dir, "study.db");
            var search = CliHarness.Run(Dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", "1", "--device-samples", "10",
                "--storage", $"sqlite:///{db}", "--study", "fw", "--json"]);
            if (search.ExitCode != 0) throw new InvalidOperationException("search failed: " + search);
            var export = CliHarness.Run(Dir, "export", "--storage", $"sqlite:///{db}", "--study", "fw", "--trial", "0", "--out", OutDir, "--json");
            if (export.ExitCode != 0 || !File.Exists(CSource)) throw new InvalidOperationException("export failed: " + export);
        }
    }

    private readonly ExportedModel _model = model;

    [Fact]
    public async Task Host_firmware_built_with_the_exported_c_boots_with_the_model_and_matches_the_engine()
    {
        string root = CliHarness.RepoRoot, build = Path.Combine(_model.Dir, "fw-host");
        CortexMBuild.Run(root, "cmake", "-S", "firmware", "-B", build, "-DCMAKE_BUILD_TYPE=Release", $"-DEDGEAUTOML_MODEL_C={_model.CSource}");
        CortexMBuild.Run(root, "cmake", "--build", build, "-j2", "--target", "edgeautoml-fw-host");

        var board = BoardProfileLoader.LoadById(Path.Combine(root, "boards"), "sim-stm32f405");
        await using var rig = await SimulatedRig.StartAsync(board, new SimulatedRigOptions
        {
            RepoRoot = root, FirmwarePath = Path.Combine(build, "edgeautoml-fw-host"), WithMonitor = false,
        });
        await using var client = DeviceClient.Open(rig.DevicePort, board.Baud);

        // Booted with the exported blob: IDENTIFY reports its CRC and size, and nothing was sent.
        var bin = _model.Bin;
        var info = await client.IdentifyAsync();
        Assert.Equal(Crc32.HashToUInt32(bin), info.ModelCrc);
        Assert.Equal((uint)bin.Length, info.ModelSize);
        Assert.Equal(_model.Manifest.GetProperty("blob_crc32").GetUInt32(), info.ModelCrc);

        // The reference: the same quantization rebuilt in process (its blob must be the exported one),
        // validation samples quantized with its input parameters, the C# integer engine's outputs.
        var bits = _model.Manifest.GetProperty("weight_bits").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var bench = ModelWorkbench.Load(CliHarness.Sample("digits-mlp.onnx"),
            new DataSource(CliHarness.Sample("digits-mlp.val.x.npy"), CliHarness.Sample("digits-mlp.val.y.npy"), null, CliHarness.Sample("digits-mlp.calib.x.npy")));
        var q = bench.Prepared.Quantize(new QuantConfig { WeightBits = bits });
        Assert.Equal(bin, q.Blob);
        var engine = new IntegerEngine(bin);

        const int samples = 60;
        int mismatches = 0;
        for (int i = 0; i < samples; i++)
        {
            var input = q.QuantizeInput(bench.Validation.X[i]);
            await client.SetInputAsync(input);
            await client.RunAsync(1, trigger: false);
            var got = await client.ReadOutputAsync(engine.OutputBytes);
            if (!got.AsSpan().SequenceEqual(engine.Run(input))) mismatches++;
        }
        output.WriteLine($"host firmware with the exported model: {samples} validation samples, {mismatches} mismatches; {client.Statistics}");
        Assert.Equal(0, mismatches);
        Assert.Equal(0, client.Statistics.Naks);
    }

    [ArmGccFact]
    public void Nucleo_image_links_the_exported_model_into_flash()
    {
        string root = CliHarness.RepoRoot, build = Path.Combine(_model.Dir, "fw-nucleo");
        CortexMBuild.Run(root, "cmake", "-S", "firmware", "-B", build, "-DEDGEAUTOML_PORT=nucleo_l476rg", "-DCMAKE_BUILD_TYPE=MinSizeRel",
            $"-DCMAKE_TOOLCHAIN_FILE={Path.Combine(root, "firmware/cmake/arm-none-eabi.cmake")}", $"-DEDGEAUTOML_MODEL_C={_model.CSource}");
        CortexMBuild.Run(root, "cmake", "--build", build, "-j2");
        string elf = Path.Combine(build, "edgeautoml-fw-nucleo_l476rg.elf");
        Assert.True(File.Exists(elf), elf);

        // The blob is a const symbol of exactly the exported size, placed in flash (0x08000000..; this
        // linker script puts .rodata into the flash text region, so nm may say T).
        var nm = CortexMBuild.Run(root, "arm-none-eabi-nm", "-S", elf);
        var m = Regex.Match(nm, @"^([0-9a-f]{8}) ([0-9a-f]{8}) [rRtT] digits_mlp_blob$", RegexOptions.Multiline);
        Assert.True(m.Success, "digits_mlp_blob not in the image:\n" + nm);
        uint address = Convert.ToUInt32(m.Groups[1].Value, 16), size = Convert.ToUInt32(m.Groups[2].Value, 16);
        Assert.Equal((uint)_model.Bin.Length, size);
        Assert.InRange(address, 0x0800_0000u, 0x0810_0000u - size);

        var sizes = CortexMBuild.Run(root, "arm-none-eabi-size", elf);
        output.WriteLine($"nucleo_l476rg with digits_mlp ({size} B blob at 0x{address:x8}):\n{sizes}");
    }
}
