namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>Where the simulator binaries are and how noisy the simulated rig is.</summary>
public sealed record SimulatedRigOptions
{
    /// <summary>Repository root (holds firmware/ and simulators/); found from the working directory when null.</summary>
    public string? RepoRoot { get; init; }
    /// <summary>Explicit path of edgeautoml-fw-host (else $EDGEAUTOML_FW_HOST, else under RepoRoot).</summary>
    public string? FirmwarePath { get; init; }
    /// <summary>Explicit path of edgeautoml-ppk2-sim (else $EDGEAUTOML_PPK2_SIM, else under RepoRoot).</summary>
    public string? Ppk2SimulatorPath { get; init; }
    /// <summary>Probability of line noise in the firmware's UART (its --fault-rate); 0 = clean.</summary>
    public double FaultRate { get; init; }
    /// <summary>
    /// Pace the firmware's pty like a UART at this baud rate (its --baud): baud/10 bytes/s each way,
    /// 8N1. Null = unpaced (as fast as the kernel copies, ≈ 390 KB/s round trip).
    /// </summary>
    public int? LineBaud { get; init; }
    /// <summary>Seed of the line noise (--fault-seed).</summary>
    public int FaultSeed { get; init; } = 1;
    /// <summary>Gaussian current noise of the simulated PPK2 in µA (--noise-ua).</summary>
    public double NoiseMicroamps { get; init; }
    /// <summary>Seed of the PPK2 simulator (--seed).</summary>
    public int MonitorSeed { get; init; } = 1;
    /// <summary>Probability that the simulated PPK2 drops a sample (--drop-rate).</summary>
    public double SampleDropRate { get; init; }
    /// <summary>How long each process may take to print its PTY line.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Start the simulated PPK2 as well (off for device-only tests).</summary>
    public bool WithMonitor { get; init; } = true;
}
