using System.Globalization;
using EdgeAutoMl.Orchestrator.Jobs;
using Spectre.Console;

namespace EdgeAutoMl.Cli.Output;

/// <summary>
/// Shows a search's progress on stderr: a Spectre.Console progress bar on a terminal, one
/// plain line per trial otherwise (CI logs, pipes), so stdout stays free for results. Either way
/// it shows the trials done, each running trial's rung and board, and the current Pareto front.
/// </summary>
internal sealed class SearchProgressView : ISearchObserver
{
    private readonly IAnsiConsole _err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    private ProgressTask? _task;
    private int _done, _total, _complete, _pruned, _failed;
    // Running trials: their rung, and their board once the device rung has one.
    private readonly SortedDictionary<int, (Rung Rung, int? Board)> _running = [];
    private IReadOnlyList<TrialOutcome> _front = [];

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
        _running[trialNumber] = (rung, null);
        Redraw();
    }

    public void BoardAssigned(int trialNumber, int board)
    {
        _running[trialNumber] = (_running.TryGetValue(trialNumber, out var r) ? r.Rung : Rung.Device, board);
        Redraw();
    }

    public void FrontChanged(IReadOnlyList<TrialOutcome> front)
    {
        bool changed = !front.Select(t => t.Number).Order().SequenceEqual(_front.Select(t => t.Number).Order());
        _front = front;
        // A log gets one line when the front changes; a terminal shows it in the bar.
        if (_task is null && changed) Line(FrontText());
        Redraw();
    }

    /// <summary>The running trials, e.g. "#12 device@b3, #13 subset".</summary>
    public string RunningText() => string.Join(", ", _running.Select(kv =>
        $"#{kv.Key} {kv.Value.Rung.ToString().ToLowerInvariant()}{(kv.Value.Board is { } b ? $"@b{b}" : "")}"));

    /// <summary>The current front in one line: its size and the best of each measured figure on it.</summary>
    public string FrontText()
    {
        if (_front.Count == 0) return "front: none yet";
        string Best(Func<TrialOutcome, double?> f, bool max, string fmt, string unit)
        {
            var vs = _front.Select(f).Where(v => v is not null).Select(v => v!.Value).ToList();
            return vs.Count == 0 ? "-" : (max ? vs.Max() : vs.Min()).ToString(fmt, CultureInfo.InvariantCulture) + unit;
        }
        return $"front: {_front.Count} trial(s) [{string.Join(",", _front.Select(t => t.Number).Order())}], " +
               $"best acc {Best(t => t.Metrics?.Accuracy, true, "0.0000", "")}, " +
               $"energy {Best(t => t.Metrics?.EnergyUj, false, "0.000", " uJ")}, " +
               $"latency {Best(t => t.Metrics?.LatencyMs, false, "0.000", " ms")}, " +
               $"flash {Best(t => t.Metrics?.FlashBytes, false, "0", " B")}";
    }

    private void Redraw()
    {
        if (_task is null) return;
        _task.Description = Markup.Escape($"{_complete} ok, {_pruned} pruned, {_failed} failed | {RunningText()} | {FrontText()}");
    }

    public void TrialFinished(TrialOutcome o)
    {
        _done++;
        _running.Remove(o.Number, out var last);
        switch (o.State) { case "COMPLETE": _complete++; break; case "PRUNED": _pruned++; break; default: _failed++; break; }
        if (_task is not null) _task.Increment(1);
        var m = o.Metrics;
        string F(double? v, string fmt) => v is { } x ? x.ToString(fmt, CultureInfo.InvariantCulture) : "-";
        var summary = o.State == "COMPLETE"
            ? $"acc {F(m?.Accuracy, "0.0000")} energy {F(m?.EnergyUj, "0.000")} uJ latency {F(m?.LatencyMs, "0.000")} ms flash {m?.FlashBytes} B{(o.FromCache ? " (device cache)" : "")}"
            : o.Reason ?? "";
        string where = last.Board is { } b ? $" board {b}" : "";
        Line($"trial {o.Number} {o.State} [{_done}/{_total}]{where} bits {string.Join(",", o.Bits.Values)}: {summary}");
        Redraw();
    }

    public void Info(string message) => Line(message);

    private void Line(string text)
    {
        if (_task is null) Console.Error.WriteLine(text);
        else _err.MarkupLine(Markup.Escape(text));
    }
}
