using System.IO.Compression;

namespace EdgeAutoMl.Model.Data;

/// <summary>Reads NumPy .npz archives (a zip of .npy members, stored or deflated).</summary>
public static class NpzReader
{
    /// <summary>Reads every array; keys are member names without the ".npy" suffix.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "file not found");
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, NpyArray>();
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var key = entry.FullName[..^4];
                using var s = entry.Open();
                result[key] = NpyReader.Read(s, $"{path}[{key}]");
            }
            return result;
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, "not a valid .npz (zip) archive", e);
        }
    }
}
