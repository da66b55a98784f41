namespace EdgeAutoMl.Orchestrator.Rigs;

/// <summary>
/// Watches a boards file while a study runs: each line ("sim", or "PORT [MONITOR]"; '#' starts a
/// comment) that was not there before is a board joining the pool. Lines are never removed from
/// the pool by editing the file: a board that goes away is handled as one that stopped answering.
/// </summary>
public static class BoardsFileWatcher
{
    /// <summary>How often the file is read (a file watcher is not reliable on every file system).</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Polls <paramref name="path"/> until cancelled; lines present at the start join too.</summary>
    public static async Task RunAsync(string path, BoardPool pool, Func<string, Func<CancellationToken, Task<DeviceSession>>> opener,
        Action<string> info, CancellationToken ct)
    {
        int seen = 0;
        while (!ct.IsCancellationRequested)
        {
            string[] lines;
            try { lines = File.Exists(path) ? await File.ReadAllLinesAsync(path, ct) : []; }
            catch (IOException) { lines = []; } // being written: read it next time
            var boards = lines.Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToList();
            for (; seen < boards.Count; seen++)
            {
                try
                {
                    var b = pool.Join(boards[seen], opener(boards[seen]));
                    info($"board {b.Number} joining from {path}: {boards[seen]}");
                }
                catch (ArgumentException e) { info($"{path} line '{boards[seen]}' ignored: {e.Message}"); }
            }
            try { await Task.Delay(PollInterval, ct); } catch (OperationCanceledException) { return; }
        }
    }
}
