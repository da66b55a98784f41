namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>Timeouts, retry policy and chunk adaptation of a <see cref="DeviceClient"/>.</summary>
public sealed record DeviceClientOptions
{
    /// <summary>
    /// How long to wait for a response before resending (all commands except RUN). With
    /// <see cref="AdaptiveTimeouts"/> this is the ceiling and the wait before a command's first answer.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// How long to wait for a RUN response before resending, unless the call gives its own. With
    /// <see cref="AdaptiveTimeouts"/> it is the ceiling; after the first RUN the wait is learned from its duration.
    /// </summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Resends of one request (same seq, same bytes) before giving up; PROTOCOL.md default 5.</summary>
    public int Retries { get; init; } = 5;
    /// <summary>Caps the chunk size below the device's max_chunk.</summary>
    public int? MaxChunkBytes { get; init; }
    /// <summary>Caps the window below the device's max_window.</summary>
    public int? MaxWindow { get; init; }
    /// <summary>Full transfers tried when MODEL_COMMIT reports MODEL_CRC.</summary>
    public int TransferAttempts { get; init; } = 2;

    /// <summary>
    /// Adapt the chunk size to the line (AIMD, like TCP's window): halve it after a chunk is lost or
    /// damaged, grow it by <see cref="MinChunkBytes"/> after each clean acknowledgement, within
    /// [<see cref="MinChunkBytes"/>, device max_chunk]. A failed chunk is re-sent, split to the new size.
    /// </summary>
    public bool AdaptiveChunks { get; init; } = true;
    /// <summary>Smallest chunk the adaptation goes down to (and its additive step).</summary>
    public int MinChunkBytes { get; init; } = 16;
    /// <summary>Chunk size to start with; null = the largest allowed (a clean line needs no warm-up).</summary>
    public int? InitialChunkBytes { get; init; }
    /// <summary>
    /// Learn each command's timeout from its round trips (RFC 6298: SRTT + 4·RTTVAR, doubled per
    /// resend), and RUN's from the last run's duration per inference, instead of waiting the fixed maximum.
    /// </summary>
    public bool AdaptiveTimeouts { get; init; } = true;
    /// <summary>
    /// Floor of a learned timeout: scheduling stalls on a loaded host must not look like loss (a
    /// spurious resend also halves the chunk; on a 2-core CI box under load, stalls of a few hundred
    /// ms were seen). Lower it on a line known to be noisy, where waiting costs more than a spurious resend.
    /// </summary>
    public TimeSpan MinResponseTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
}
