namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>IDENTIFY response.</summary>
/// <param name="ProtocolVersion">Wire protocol version (1).</param>
/// <param name="FirmwareVersion">major &lt;&lt; 8 | minor.</param>
/// <param name="ClockHz">Core clock.</param>
/// <param name="ModelCapacity">Bytes available for a model blob.</param>
/// <param name="ArenaCapacity">Bytes available for the activation arena.</param>
/// <param name="MaxChunk">Largest MODEL_CHUNK / SET_INPUT / READ_OUTPUT data.</param>
/// <param name="MaxWindow">Most requests the device accepts in flight.</param>
/// <param name="ModelCrc">CRC-32 of the committed model, 0 = none.</param>
/// <param name="ModelSize">Size of the committed model.</param>
/// <param name="BoardId">ASCII board id.</param>
public sealed record DeviceInfo(
    ushort ProtocolVersion, ushort FirmwareVersion, uint ClockHz, uint ModelCapacity, uint ArenaCapacity,
    ushort MaxChunk, ushort MaxWindow, uint ModelCrc, uint ModelSize, string BoardId)
{
    /// <summary>Firmware version as "major.minor".</summary>
    public string FirmwareVersionText => $"{FirmwareVersion >> 8}.{FirmwareVersion & 0xFF}";
    /// <summary>True when a model is committed.</summary>
    public bool HasModel => ModelCrc != 0 || ModelSize != 0;
}

/// <summary>MODEL_COMMIT response: what the validated model needs.</summary>
public sealed record ModelCommitInfo(uint ArenaBytes, ushort OpCount, uint InputBytes, uint OutputBytes);

/// <summary>Outcome of <see cref="DeviceClient.LoadModelAsync"/>.</summary>
/// <param name="Skipped">The device already held a model with the same CRC and size; nothing was sent.</param>
/// <param name="Commit">The commit response (null when skipped).</param>
/// <param name="BytesSent">Blob bytes sent in MODEL_CHUNKs (repeats included).</param>
/// <param name="Elapsed">Wall time of the transfer and commit.</param>
public sealed record ModelLoadResult(bool Skipped, ModelCommitInfo? Commit, long BytesSent, TimeSpan Elapsed);

/// <summary>RUN response.</summary>
/// <param name="Count">Inferences executed.</param>
/// <param name="CyclesTotal">Sum of cycles over all inferences.</param>
/// <param name="CyclesMin">Fastest inference.</param>
/// <param name="CyclesMax">Slowest inference.</param>
public sealed record RunResult(uint Count, ulong CyclesTotal, uint CyclesMin, uint CyclesMax)
{
    /// <summary>Mean cycles per inference.</summary>
    public double CyclesMean => Count == 0 ? 0 : (double)CyclesTotal / Count;
}
