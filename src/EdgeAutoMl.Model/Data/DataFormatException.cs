namespace EdgeAutoMl.Model.Data;

/// <summary>A data file (.npy, .npz) is malformed or holds a type or layout we do not read.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; <paramref name="source"/> names the file (and array) at fault.</summary>
    public DataFormatException(string source, string message, Exception? inner = null)
        : base($"{source}: {message}", inner) => Source = source;

    /// <summary>The file (and array inside an .npz) that was being read.</summary>
    public new string Source { get; }
}
