namespace EdgeAutoMl.Hardware.Tests;

internal static class Hex
{
    public static byte[] Parse(string spaced) => Convert.FromHexString(spaced.Replace(" ", ""));
    public static string Format(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
