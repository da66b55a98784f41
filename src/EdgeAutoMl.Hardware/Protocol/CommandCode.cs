namespace EdgeAutoMl.Hardware.Protocol;

/// <summary>Command codes of protocol v1 (firmware/PROTOCOL.md).</summary>
public enum CommandCode : byte
{
    /// <summary>Board id, firmware version, capacities, current model.</summary>
    Identify = 0x01,
    /// <summary>Resets the device; a committed model stays.</summary>
    Reset = 0x02,
    /// <summary>Starts a model transfer: u32 size, u32 crc32.</summary>
    ModelBegin = 0x10,
    /// <summary>u32 offset + data.</summary>
    ModelChunk = 0x11,
    /// <summary>Verifies the whole-blob CRC and validates the blob.</summary>
    ModelCommit = 0x12,
    /// <summary>u32 offset + input tensor bytes.</summary>
    SetInput = 0x20,
    /// <summary>u32 n, u8 flags (bit0 = trigger).</summary>
    Run = 0x21,
    /// <summary>u32 offset, u16 len.</summary>
    ReadOutput = 0x22,
}
