namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>Where the QEMU rig's programs are and whether it has a simulated power monitor.</summary>
public sealed record QemuRigOptions
{
    /// <summary>Repository root (holds firmware/ and simulators/); found from the working directory when null.</summary>
    public string? RepoRoot { get; init; }
    /// <summary>The firmware image (else $EDGEAUTOML_FW_QEMU, else firmware/build-qemu/edgeautoml-fw-qemu.elf under RepoRoot).</summary>
    public string? ElfPath { get; init; }
    /// <summary>qemu-system-arm (else found on PATH).</summary>
    public string? QemuPath { get; init; }
    /// <summary>socat (else found on PATH).</summary>
    public string? SocatPath { get; init; }
    /// <summary>edgeautoml-qemu-trigger (else $EDGEAUTOML_QEMU_TRIGGER, else under RepoRoot).</summary>
    public string? TriggerBridgePath { get; init; }
    /// <summary>edgeautoml-ppk2-sim (else $EDGEAUTOML_PPK2_SIM, else under RepoRoot).</summary>
    public string? Ppk2SimulatorPath { get; init; }
    /// <summary>Start the trigger bridge and the simulated PPK2 as well.</summary>
    public bool WithMonitor { get; init; } = true;
    /// <summary>Gaussian current noise of the simulated PPK2 in µA (--noise-ua).</summary>
    public double NoiseMicroamps { get; init; }
    /// <summary>Seed of the PPK2 simulator (--seed).</summary>
    public int MonitorSeed { get; init; } = 1;
    /// <summary>How long QEMU, socat and the monitor may take to come up.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
