using System.Globalization;
using EdgeAutoMl.Hardware.Boards;

namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>
/// The firmware cross-compiled for a Cortex-M4 (firmware/ports/qemu) running under
/// qemu-system-arm -icount shift=0. QEMU serves the protocol UART on a unix socket; socat
/// bridges it to a pseudo-terminal, so the host opens <see cref="DevicePort"/> with
/// System.IO.Ports like any serial device and the protocol client does not change. With a
/// monitor, the trigger UART goes to edgeautoml-qemu-trigger, which replays each inference
/// window onto the simulated wire that edgeautoml-ppk2-sim measures (<see cref="MonitorPort"/>).
/// </summary>
public sealed class QemuRig : IAsyncDisposable
{
    /// <summary>
    /// Client settings for a board under QEMU: QEMU hands the guest UART one byte at a time (tens
    /// of KB/s, less on a loaded machine), so a window of full 1 KiB chunks can take longer than
    /// the default 1 s response timeout and every retry then adds to the backlog.
    /// </summary>
    public static Protocol.DeviceClientOptions ClientOptions => new()
    {
        ResponseTimeout = TimeSpan.FromSeconds(5),
        MaxChunkBytes = 256,
        MaxWindow = 2,
    };

    /// <summary>Relative path of the QEMU firmware image.</summary>
    public const string ElfBinary = "firmware/build-qemu/edgeautoml-fw-qemu.elf";
    /// <summary>Relative path of the trigger bridge.</summary>
    public const string TriggerBridgeBinary = "simulators/build/edgeautoml-qemu-trigger";
    /// <summary>How to get everything the rig needs.</summary>
    public const string SetupHint =
        "apt-get install -y --no-install-recommends qemu-system-arm gcc-arm-none-eabi libnewlib-arm-none-eabi socat; " +
        "cmake -S firmware -B firmware/build-qemu -DEDGEAUTOML_PORT=qemu -DCMAKE_BUILD_TYPE=MinSizeRel " +
        "-DCMAKE_TOOLCHAIN_FILE=$PWD/firmware/cmake/arm-none-eabi.cmake && cmake --build firmware/build-qemu -j2; " +
        "cmake -S simulators -B simulators/build && cmake --build simulators/build -j2";

    private readonly List<SimProcess> _processes;
    private readonly string _workDirectory;

    private QemuRig(BoardProfile board, List<SimProcess> processes, string devicePort, string? monitorPort, string work)
    {
        Board = board; _processes = processes; DevicePort = devicePort; MonitorPort = monitorPort; _workDirectory = work;
    }

    /// <summary>The board profile (clock, baud, currents for the simulated monitor).</summary>
    public BoardProfile Board { get; }
    /// <summary>The pseudo-terminal socat made for the firmware's UART0, e.g. /dev/pts/9.</summary>
    public string DevicePort { get; }
    /// <summary>The simulated PPK2's pty, or null without a monitor.</summary>
    public string? MonitorPort { get; }
    /// <summary>What the rig's processes wrote to stderr so far.</summary>
    public string Stderr => string.Join("\n", _processes.Select(p => $"[{p.DisplayName}] {p.Stderr.Trim()}"));

    /// <summary>Finds qemu-system-arm, socat, the image and (with a monitor) the bridge and PPK2 simulator; null if all are there, else what is missing and how to get it.</summary>
    public static string? MissingPrerequisite(QemuRigOptions? options = null)
    {
        options ??= new QemuRigOptions();
        try { Resolve(options); return null; }
        catch (FileNotFoundException e) { return e.Message; }
        catch (DirectoryNotFoundException e) { return e.Message; }
    }

    private sealed record Paths(string Qemu, string Socat, string Elf, string? Bridge, string? Ppk2);

    private static Paths Resolve(QemuRigOptions o)
    {
        string qemu = o.QemuPath ?? FindOnPath("qemu-system-arm");
        string socat = o.SocatPath ?? FindOnPath("socat");
        string root = o.RepoRoot ?? RepoLocator.FindRoot();
        string elf = Locate(o.ElfPath, "EDGEAUTOML_FW_QEMU", root, ElfBinary);
        string? bridge = o.WithMonitor ? Locate(o.TriggerBridgePath, "EDGEAUTOML_QEMU_TRIGGER", root, TriggerBridgeBinary) : null;
        string? ppk2 = o.WithMonitor ? Locate(o.Ppk2SimulatorPath, "EDGEAUTOML_PPK2_SIM", root, RepoLocator.Ppk2SimulatorBinary) : null;
        return new Paths(qemu, socat, elf, bridge, ppk2);
    }

    private static string Locate(string? explicitPath, string env, string root, string relative)
    {
        try { return RepoLocator.ResolveBinary(explicitPath, env, root, relative); }
        catch (FileNotFoundException e) { throw new FileNotFoundException($"{relative} not found; {SetupHint}", e.FileName, e); }
    }

    private static string FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException($"{name} not found on PATH; {SetupHint}", name);
    }

    /// <summary>Boots the firmware under QEMU and connects its UARTs; returns once the device pty exists.</summary>
    /// <exception cref="FileNotFoundException">A program or the image is missing (the message says how to get it).</exception>
    /// <exception cref="InvalidOperationException">A process died at start-up; the message carries its stderr.</exception>
    public static async Task<QemuRig> StartAsync(BoardProfile board, QemuRigOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new QemuRigOptions();
        var paths = Resolve(options);
        string work = Directory.CreateTempSubdirectory("edgeautoml-qemu-").FullName;
        string uart0 = Path.Combine(work, "uart0.sock"), uart1 = Path.Combine(work, "uart1.sock");
        string link = Path.Combine(work, "device"), wire = Path.Combine(work, "wire.bin");
        var processes = new List<SimProcess>();
        try
        {
            // QEMU waits for a client on each server socket, in order, before the CPU starts:
            // socat takes UART0, the bridge UART1. Nothing the firmware sends can be lost.
            processes.Add(SimProcess.Start(paths.Qemu,
            [
                "-M", "mps2-an386", "-nographic", "-monitor", "none", "-icount", "shift=0",
                "-kernel", paths.Elf,
                "-serial", $"unix:{uart0},server=on,wait=on",
                "-serial", paths.Bridge is null ? "null" : $"unix:{uart1},server=on,wait=on",
            ]));
            await WaitForAsync(() => File.Exists(uart0), processes, "QEMU's UART0 socket", options.StartupTimeout, cancellationToken).ConfigureAwait(false);
            // The socket file appears at bind(), a moment before QEMU listens: socat retries a refused connect.
            processes.Add(SimProcess.Start(paths.Socat, ["-d", $"PTY,link={link},raw,echo=0", $"UNIX-CONNECT:{uart0},retry=100,interval=0.05"]));
            await WaitForAsync(() => File.Exists(link), processes, "socat's pty", options.StartupTimeout, cancellationToken).ConfigureAwait(false);
            string devicePort = File.ResolveLinkTarget(link, returnFinalTarget: true)?.FullName ?? link;

            string? monitorPort = null;
            if (paths.Bridge is not null && paths.Ppk2 is not null)
            {
                var ci = CultureInfo.InvariantCulture;
                var cost = board.CostModel;
                var bridgeArgs = new List<string> { "--socket", uart1, "--wire", wire };
                if (cost is not null)
                    bridgeArgs.AddRange(["--idle-ua", Math.Round(cost.IdleMicroamps).ToString(ci), "--active-ua", Math.Round(cost.ActiveMicroamps).ToString(ci),
                        "--ua-per-bit", Math.Round(cost.MicroampsPerWeightBit).ToString(ci)]);
                processes.Add(SimProcess.Start(paths.Bridge, bridgeArgs));
                var monArgs = new List<string> { "--wire", wire, "--seed", options.MonitorSeed.ToString(ci) };
                if (options.NoiseMicroamps > 0) monArgs.AddRange(["--noise-ua", options.NoiseMicroamps.ToString(ci)]);
                var monitor = SimProcess.Start(paths.Ppk2, monArgs);
                processes.Add(monitor);
                monitorPort = await monitor.WaitForPtyAsync(options.StartupTimeout, cancellationToken).ConfigureAwait(false);
            }
            foreach (var p in processes)
                if (p.HasExited) throw new InvalidOperationException(p.DeathMessage("while the QEMU rig started"));
            return new QemuRig(board, processes, devicePort, monitorPort, work);
        }
        catch
        {
            await DisposeAllAsync(processes).ConfigureAwait(false);
            TryDelete(work);
            throw;
        }
    }

    private static async Task WaitForAsync(Func<bool> ready, List<SimProcess> processes, string what, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ready())
        {
            foreach (var p in processes)
                if (p.HasExited) throw new InvalidOperationException(p.DeathMessage($"before {what} appeared"));
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not appear within {timeout.TotalSeconds:0.#} s");
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Throws with the stderr of a process of the rig that has died.</summary>
    public void ThrowIfExited()
    {
        foreach (var p in _processes)
            if (p.HasExited) throw new InvalidOperationException(p.DeathMessage("while the QEMU rig was in use"));
    }

    /// <summary>Stops the monitor, the bridge, socat and QEMU, and removes the sockets.</summary>
    public async ValueTask DisposeAsync()
    {
        await DisposeAllAsync(_processes).ConfigureAwait(false);
        TryDelete(_workDirectory);
    }

    private static async Task DisposeAllAsync(List<SimProcess> processes)
    {
        for (int i = processes.Count - 1; i >= 0; i--) await processes[i].DisposeAsync().ConfigureAwait(false);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
