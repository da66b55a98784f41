namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>Timeouts and retry policy of a <see cref="DeviceClient"/>.</summary>
public sealed record DeviceClientOptions
{
    /// <summary>How long to wait for a response before resending (all commands except RUN).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long to wait for a RUN response before resending, unless the call gives its own.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Resends of one request (same seq, same bytes) before giving up; PROTOCOL.md default 5.</summary>
    public int Retries { get; init; } = 5;
    /// <summary>Caps the chunk size below the device's max_chunk (smaller chunks survive a noisy line better).</summary>
    public int? MaxChunkBytes { get; init; }
    /// <summary>Caps the window below the device's max_window.</summary>
    public int? MaxWindow { get; init; }
    /// <summary>Full transfers tried when MODEL_COMMIT reports MODEL_CRC.</summary>
    public int TransferAttempts { get; init; } = 2;
}
