using System.Diagnostics;
using System.Text;

namespace EdgeAutoMl.Hardware.Simulation;

/// <summary>
/// One child process of the simulated rig: waits for its "PTY &lt;path&gt;" line on stdout, keeps
/// its stderr for error messages, and is killed on dispose.
/// </summary>
internal sealed class SimProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _pty = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SimProcess(Process process, string displayName)
    {
        _process = process;
        DisplayName = displayName;
    }

    public string DisplayName { get; }
    public int Id => _process.Id;

    public bool HasExited { get { try { return _process.HasExited; } catch (InvalidOperationException) { return true; } } }

    public string Stderr { get { lock (_stderr) return _stderr.ToString(); } }

    public static SimProcess Start(string path, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var sim = new SimProcess(process, Path.GetFileName(path));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { sim._pty.TrySetException(new InvalidOperationException("stdout closed")); return; }
            if (e.Data.StartsWith("PTY ", StringComparison.Ordinal)) sim._pty.TrySetResult(e.Data[4..].Trim());
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (sim._stderr) sim._stderr.AppendLine(e.Data); };
        try { process.Start(); }
        catch (Exception e) { throw new InvalidOperationException($"cannot start {path}: {e.Message}", e); }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sim;
    }

    /// <summary>The path from the PTY line; throws with the stderr if the process dies or stays silent.</summary>
    public async Task<string> WaitForPtyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var done = await Task.WhenAny(_pty.Task, exited, Task.Delay(timeout, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (done == _pty.Task && _pty.Task.IsCompletedSuccessfully) return _pty.Task.Result;
        if (HasExited || done == exited || _pty.Task.IsFaulted)
        {
            await Task.Delay(100, CancellationToken.None).ConfigureAwait(false); // let stderr drain
            throw new InvalidOperationException(DeathMessage("before printing its PTY line"));
        }
        throw new TimeoutException($"{DisplayName} (pid {Id}) printed no 'PTY <path>' line within {timeout.TotalSeconds:0.#} s; stderr: {StderrTail()}");
    }

    public string DeathMessage(string when)
    {
        string code = HasExited ? _process.ExitCode.ToString() : "?";
        return $"{DisplayName} (pid {Id}) exited with code {code} {when}; stderr: {StderrTail()}";
    }

    private string StderrTail()
    {
        var s = Stderr.Trim();
        if (s.Length == 0) return "(empty)";
        return s.Length <= 2000 ? s : "…" + s[^2000..];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false); } catch (OperationCanceledException) { }
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
