using System.Globalization;
using EdgeAutoMl.Hardware.Boards;

namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>
/// A simulated bench rig: the firmware built for the host (behind a pseudo-terminal) and the
/// simulated PPK2 (behind another), sharing a wire file that carries the trigger pin and the
/// MCU's current. The host talks to both through <see cref="DevicePort"/> and <see cref="MonitorPort"/>
/// with the same code it uses for a real board and a real PPK2.
/// </summary>
public sealed class SimulatedRig : IAsyncDisposable
{
    private readonly SimProcess _firmware;
    private readonly SimProcess? _monitor;
    private readonly string _workDirectory;

    private SimulatedRig(BoardProfile board, SimProcess firmware, SimProcess? monitor, string devicePort, string? monitorPort, string workDirectory)
    {
        Board = board; _firmware = firmware; _monitor = monitor; DevicePort = devicePort; MonitorPort = monitorPort;
        _workDirectory = workDirectory;
    }

    /// <summary>The board being simulated.</summary>
    public BoardProfile Board { get; }
    /// <summary>The firmware's pty, e.g. /dev/pts/7 (open with <c>DeviceClient.Open(DevicePort, Board.Baud)</c>).</summary>
    public string DevicePort { get; }
    /// <summary>The simulated PPK2's pty, or null when started without a monitor.</summary>
    public string? MonitorPort { get; }
    /// <summary>The shared wire file.</summary>
    public string WirePath => Path.Combine(_workDirectory, "wire.bin");
    /// <summary>The firmware's model store (persists a committed model across firmware restarts).</summary>
    public string ModelStorePath => Path.Combine(_workDirectory, "model.bin");
    /// <summary>Process id of the host-port firmware (a board pool prints it so a test or a person can kill one board).</summary>
    public int FirmwareProcessId => _firmware.Id;
    /// <summary>True once the firmware or the monitor process has ended (the board stopped answering for good).</summary>
    public bool HasExited => _firmware.HasExited || _monitor is { HasExited: true };
    /// <summary>What the firmware wrote to stderr so far.</summary>
    public string FirmwareStderr => _firmware.Stderr;
    /// <summary>What the PPK2 simulator wrote to stderr so far.</summary>
    public string MonitorStderr => _monitor?.Stderr ?? "";

    /// <summary>Starts both processes for <paramref name="board"/> and waits for their PTY lines.</summary>
    /// <exception cref="FileNotFoundException">A binary is missing (the message says how to build it).</exception>
    /// <exception cref="InvalidOperationException">A process died at start-up; the message carries its stderr.</exception>
    public static async Task<SimulatedRig> StartAsync(BoardProfile board, SimulatedRigOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatedRigOptions();
        if (board.CostModel is null)
            throw new ArgumentException($"board '{board.Id}' ({board.SourcePath}) has no cost_model; the simulator needs one", nameof(board));
        string root = options.RepoRoot ?? (options.FirmwarePath is not null && (options.Ppk2SimulatorPath is not null || !options.WithMonitor) ? "" : RepoLocator.FindRoot());
        string firmwarePath = RepoLocator.ResolveBinary(options.FirmwarePath, "EDGEAUTOML_FW_HOST", root, RepoLocator.FirmwareBinary);
        string? monitorPath = options.WithMonitor
            ? RepoLocator.ResolveBinary(options.Ppk2SimulatorPath, "EDGEAUTOML_PPK2_SIM", root, RepoLocator.Ppk2SimulatorBinary)
            : null;

        string work = Directory.CreateTempSubdirectory("edgeautoml-rig-").FullName;
        var ci = CultureInfo.InvariantCulture;
        var fwArgs = new List<string>
        {
            "--board-id", board.Id,
            "--clock-hz", board.ClockHz.ToString(ci),
            "--cost", board.CostModel.ToCommandLine(),
            "--wire", Path.Combine(work, "wire.bin"),
            "--model-store", Path.Combine(work, "model.bin"),
            "--arena-bytes", board.ArenaRamBytes.ToString(ci),
            "--model-bytes", board.ModelFlashBytes.ToString(ci),
        };
        if (options.LineBaud is { } baud)
        {
            if (baud is < 300 or > 100_000_000) throw new ArgumentOutOfRangeException(nameof(options), baud, "LineBaud must be within 300..100000000");
            fwArgs.AddRange(["--baud", baud.ToString(ci)]);
        }
        if (options.FaultRate > 0)
            fwArgs.AddRange(["--fault-rate", options.FaultRate.ToString(ci), "--fault-seed", options.FaultSeed.ToString(ci)]);

        SimProcess? firmware = null, monitor = null;
        try
        {
            firmware = SimProcess.Start(firmwarePath, fwArgs);
            string devicePort = await firmware.WaitForPtyAsync(options.StartupTimeout, cancellationToken).ConfigureAwait(false);
            string? monitorPort = null;
            if (monitorPath is not null)
            {
                var monArgs = new List<string> { "--wire", Path.Combine(work, "wire.bin") };
                if (options.NoiseMicroamps > 0) monArgs.AddRange(["--noise-ua", options.NoiseMicroamps.ToString(ci)]);
                monArgs.AddRange(["--seed", options.MonitorSeed.ToString(ci)]);
                if (options.SampleDropRate > 0) monArgs.AddRange(["--drop-rate", options.SampleDropRate.ToString(ci)]);
                monitor = SimProcess.Start(monitorPath, monArgs);
                monitorPort = await monitor.WaitForPtyAsync(options.StartupTimeout, cancellationToken).ConfigureAwait(false);
            }
            return new SimulatedRig(board, firmware, monitor, devicePort, monitorPort, work);
        }
        catch
        {
            if (monitor is not null) await monitor.DisposeAsync().ConfigureAwait(false);
            if (firmware is not null) await firmware.DisposeAsync().ConfigureAwait(false);
            TryDelete(work);
            throw;
        }
    }

    /// <summary>Throws with the process's stderr if the firmware or the monitor has died.</summary>
    public void ThrowIfExited()
    {
        if (_firmware.HasExited) throw new InvalidOperationException(_firmware.DeathMessage("while the rig was in use"));
        if (_monitor is { HasExited: true }) throw new InvalidOperationException(_monitor.DeathMessage("while the rig was in use"));
    }

    /// <summary>Kills both processes and removes the wire and model files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_monitor is not null) await _monitor.DisposeAsync().ConfigureAwait(false);
        await _firmware.DisposeAsync().ConfigureAwait(false);
        TryDelete(_workDirectory);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
