using System.Globalization;
using EdgeAutoMl.Orchestrator.Jobs;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Output;

/// <summary>
/// Shows a search's progress on stderr: a Spectre.Console progress bar on a terminal, one
/// plain line per trial otherwise (CI logs, pipes), so stdout stays free for results.
/// </summary>
internal sealed class SearchProgressView : ISearchObserver
{
    private readonly IAnsiConsole _err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private ProgressTask? _task;
    private int _done, _total, _complete, _pruned, _failed;

    /// <summary>True when stderr is a terminal that can redraw a bar.</summary>
    public bool Interactive => !Console.IsErrorRedirected && _err.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="job"/> with the bar (or line log) around it.</summary>
    public async Task<T> RunAsync<T>(Func<ISearchObserver, Task<T>> job)
    {
        if (!Interactive) return await job(this);
        T result = default!;
        await _err.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                _task = ctx.AddTask("starting", maxValue: 1);
                result = await job(this);
                _task.StopTask();
            });
        return result;
    }

    public void Started(string studyName, int done, int total, string rig)
    {
        _done = done; _total = total;
        Line($"study '{studyName}': {done}/{total} trials done; rig: {rig}");
        if (_task is not null) { _task.MaxValue = Math.Max(1, total); _task.Value = done; }
    }

    public void RungStarted(int trialNumber, Rung rung)
    {
        if (_task is not null)
            _task.Description = $"trial {trialNumber} [grey]{rung.ToString().ToLowerInvariant()}[/] ({_complete} ok, {_pruned} pruned, {_failed} failed)";
    }

    public void TrialFinished(TrialOutcome o)
    {
        _done++;
        switch (o.State) { case "COMPLETE": _complete++; break; case "PRUNED": _pruned++; break; default: _failed++; break; }
        if (_task is not null) _task.Increment(1);
        var m = o.Metrics;
        string F(double? v, string fmt) => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "-";
        var summary = o.State == "COMPLETE"
            ? $"acc {F(m?.Accuracy, "0.0000")} energy {F(m?.EnergyUj, "0.000")} uJ latency {F(m?.LatencyMs, "0.000")} ms flash {m?.FlashBytes} B{(o.FromCache ? " (device cache)" : "")}"
            : o.Reason ?? "";
        Line($"trial {o.Number} {o.State} [{_done}/{_total}] bits {string.Join(",", o.Bits.Values)}: {summary}");
    }

    public void Info(string message) => Line(message);

    private void Line(string text)
    {
        if (_task is null) Console.Error.WriteLine(text);
        else _err.MarkupLine(Markup.Escape(text));
    }
}
