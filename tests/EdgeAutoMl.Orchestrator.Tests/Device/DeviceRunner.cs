using EdgeAutoMl.Hardware.Boards;
using EdgeAutoMl.Hardware.Protocol;
using EdgeAutoMl.Hardware.Simulation;

namespace EdgeAutoMl.Orchestrator.Tests.Device;

/// <summary>
/// The host-port firmware behind its pty (no power monitor), opened once per test class:
/// loads a blob and returns the device's output bytes per input.
/// </summary>
public sealed class DeviceRunner : IAsyncLifetime
{
    private SimulatedRig? _rig;
    private DeviceClient? _client;

    /// <summary>The repository root (holds EdgeAutoMl.sln).</summary>
    public static string RepoRoot { get; } = RepoLocator.FindRoot();

    public async Task InitializeAsync()
    {
        var board = BoardProfileLoader.LoadById(Path.Combine(RepoRoot, "boards"), "sim-stm32f405");
        _rig = await SimulatedRig.StartAsync(board, new SimulatedRigOptions { RepoRoot = RepoRoot, WithMonitor = false });
        _client = DeviceClient.Open(_rig.DevicePort, board.Baud);
        await _client.IdentifyAsync();
    }

    /// <summary>Flashes <paramref name="blob"/> and runs each input once; returns the output bytes.</summary>
    public async Task<List<byte[]>> RunAsync(byte[] blob, IEnumerable<byte[]> inputs, int outputBytes)
    {
        var c = _client ?? throw new InvalidOperationException("not initialized");
        await c.LoadModelAsync(blob);
        var outputs = new List<byte[]>();
        foreach (var x in inputs)
        {
            await c.SetInputAsync(x);
            await c.RunAsync(1, trigger: false);
            outputs.Add(await c.ReadOutputAsync(outputBytes));
        }
        _rig!.ThrowIfExited();
        return outputs;
    }

    public async Task DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        if (_rig is not null) await _rig.DisposeAsync();
    }
}
