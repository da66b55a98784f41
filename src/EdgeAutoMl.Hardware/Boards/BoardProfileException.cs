namespace EdgeAutoMl.Hardware.Boards;

/// <summary>A board profile is missing, malformed or out of range; the message names the file and field.</summary>
public sealed class BoardProfileException(string message, Exception? inner = null) : Exception(message, inner);
