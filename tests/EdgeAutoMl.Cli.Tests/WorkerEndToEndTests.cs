using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeAutoMl.Search;
using EdgeAutoMl.Storage;
using EdgeAutoMl.Storage.Tests.Postgres;
using Npgsql;

namespace EdgeAutoMl.Cli.Tests;

/// <summary>
/// Several real OS processes (<c>./edgeautoml worker</c> and <c>search</c>) sharing one PostgreSQL study: no trial lost
/// or duplicated, and the trial of a process killed with SIGKILL goes stale (heartbeats) and is re-run by another.
/// </summary>
[Collection("Postgres")]
public sealed class WorkerEndToEndTests(LazyPostgres pg)
{
    [PostgresFact]
    public void Four_worker_processes_share_one_study_for_400_trials_with_none_lost_or_duplicated()
    {
        // A long grace period: this test is about sharing, not staleness (The_trial_of_a_killed_worker_... covers that); a starved
        // process on a loaded machine can miss a short one legitimately, and its trial is then failed as stale and re-run.
        string url = pg.Server.Url(pg.Server.CreateDatabase(), "?heartbeat_interval=2&grace_period=60");
        string dir = CliHarness.TempDir();
        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode); // build once, so the four start together
        var workers = Enumerable.Range(0, 4).Select(i => Start(dir, "worker", "--storage", url, "--study", "four", "--function", "hartmann6",
            "--trials", "100", "--seed", i.ToString(), "--json")).ToList();
        var reported = new List<(string Worker, int[] Trials)>();
        foreach (var w in workers)
        {
            CliRun run = w.Wait(TimeSpan.FromMinutes(4));
            Assert.True(run.ExitCode == 0, run.ToString());
            JsonElement doc = run.Json();
            reported.Add((doc.GetProperty("worker").GetString()!, doc.GetProperty("trials").EnumerateArray().Select(e => e.GetInt32()).ToArray()));
        }

        using var check = new PostgresStorage(ConnectionString(url), cacheFinishedTrials: false);
        var trials = check.GetAllTrials(check.GetStudyIdFromName("four"));
        Assert.Equal(Enumerable.Range(0, 400), trials.Select(t => t.Number)); // every number exactly once
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State)); // none RUNNING or WAITING
        Assert.All(trials, t => Assert.Equal(6, t.Params.Count));
        Assert.Equal(400 * 6, Count(url, "SELECT COUNT(*) FROM trial_params"));
        Assert.Equal(400, Count(url, "SELECT COUNT(DISTINCT trial_id) FROM trial_values"));
        // Each process ran its 100, no trial was reported by two, and storage agrees on who ran what.
        Assert.All(reported, r => Assert.Equal(100, r.Trials.Length));
        Assert.Equal(Enumerable.Range(0, 400), reported.SelectMany(r => r.Trials).Order());
        Assert.Equal(4, reported.Select(r => r.Worker).Distinct().Count());
        foreach (var (worker, numbers) in reported)
            Assert.All(numbers, n => Assert.Equal(worker, trials[n].SystemAttrs["worker"]));
    }

    [PostgresFact]
    public void The_trial_of_a_killed_worker_process_goes_stale_and_is_rerun_by_another()
    {
        const string hb = "?heartbeat_interval=1&grace_period=3";
        string url = pg.Server.Url(pg.Server.CreateDatabase(), hb);
        string dir = CliHarness.TempDir();
        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode);
        // The victim: one trial that takes two minutes; SIGKILL once its params are stored and it has beaten.
        var victim = Start(dir, "worker", "--storage", url, "--study", "kill", "--function", "hartmann6", "--trials", "1", "--trial-seconds", "120");
        var sw = Stopwatch.StartNew();
        while (Count(url, "SELECT COUNT(*) FROM trial_params p JOIN trial_heartbeats h ON h.trial_id=p.trial_id", missingTablesAreZero: true) < 6)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2) && !victim.Process.HasExited, "the victim never started its trial:\n" + victim.Log());
            Thread.Sleep(200);
        }
        victim.Process.Kill(); // SIGKILL: no Tell, no more heartbeats
        victim.Process.WaitForExit();

        var others = Enumerable.Range(0, 2).Select(i => Start(dir, "worker", "--storage", url, "--study", "kill", "--function", "hartmann6",
            "--trials", "25", "--trial-seconds", "0.25", "--seed", (10 + i).ToString(), "--json")).ToList();
        foreach (var o in others)
        {
            CliRun run = o.Wait(TimeSpan.FromMinutes(4));
            Assert.True(run.ExitCode == 0, run.ToString());
        }

        using var check = new PostgresStorage(ConnectionString(url), cacheFinishedTrials: false);
        var trials = check.GetAllTrials(check.GetStudyIdFromName("kill"));
        Assert.Equal(Enumerable.Range(0, 51), trials.Select(t => t.Number));
        FrozenTrial dead = trials[0];
        Assert.Equal(TrialState.Fail, dead.State);
        Assert.Equal(Study.StaleReason, dead.SystemAttrs[Study.FailReasonKey]);
        FrozenTrial rerun = Assert.Single(trials, t => t.SystemAttrs.TryGetValue("failed_trial", out var f) && f is 0L);
        Assert.Equal(TrialState.Complete, rerun.State);
        Assert.Equal(dead.Params, rerun.Params);
        Assert.NotEqual(dead.SystemAttrs["worker"], rerun.SystemAttrs["worker"]);
        Assert.All(trials.Skip(1), t => Assert.Equal(TrialState.Complete, t.State));
    }

    [PostgresFact]
    public void A_worker_process_joins_a_running_search_and_both_run_trials()
    {
        // A long grace period: this test is about sharing, not staleness (The_trial_of_a_killed_worker_... covers that); a starved
        // process on a loaded machine can miss a short one legitimately, and its trial is then failed as stale and re-run.
        string url = pg.Server.Url(pg.Server.CreateDatabase(), "?heartbeat_interval=2&grace_period=60");
        string dir = CliHarness.TempDir();
        Assert.Equal(0, CliHarness.Run(dir, "--help").ExitCode);
        const int budget = 10;
        var search = Start(dir, ["search", .. CliHarness.DataArgs("digits-mlp"), "--trials", budget.ToString(), "--port", "sim",
            "--storage", url, "--study", "joint", "--device-samples", "10", "--energy-runs", "5", "--seed", "1", "--json"]);
        var sw = Stopwatch.StartNew();
        while (Count(url, "SELECT COUNT(*) FROM study_system_attributes WHERE key='edgeautoml:search'", missingTablesAreZero: true) == 0)
        {
            Assert.True(sw.Elapsed < TimeSpan.FromMinutes(2) && !search.Process.HasExited, "search never created its study:\n" + search.Log());
            Thread.Sleep(100);
        }
        var worker = Start(dir, "worker", "--storage", url, "--study", "joint", "--port", "sim", "--seed", "7", "--json");
        CliRun s = search.Wait(TimeSpan.FromMinutes(4)), w = worker.Wait(TimeSpan.FromMinutes(4));
        Assert.True(s.ExitCode == 0, s.ToString());
        Assert.True(w.ExitCode == 0, w.ToString());

        using var check = new PostgresStorage(ConnectionString(url), cacheFinishedTrials: false);
        var trials = check.GetAllTrials(check.GetStudyIdFromName("joint"));
        // Budget shared across processes: met, overshot at most by one (two asks at the same instant).
        Assert.InRange(trials.Count, budget, budget + 1);
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Number));
        Assert.All(trials, t => Assert.True(t.State is TrialState.Complete or TrialState.Pruned or TrialState.Fail, $"trial {t.Number} is {t.State}"));
        Assert.All(trials.Where(t => t.State == TrialState.Fail), t => Assert.True(t.SystemAttrs.ContainsKey(Study.FailReasonKey)));
        var byWorker = trials.GroupBy(t => (string)t.SystemAttrs["worker"]!).ToList();
        Assert.True(byWorker.Count == 2, $"trials by process: {string.Join(", ", byWorker.Select(g => $"{g.Key}={g.Count()}"))}\n{w}");
        // The worker evaluated with the study's settings: same layers, objectives as values.
        Assert.All(trials.Where(t => t.State == TrialState.Complete), t => Assert.Equal(4, t.Values!.Count));
        Assert.Equal(trials[0].Params.Keys.Order(), trials[^1].Params.Keys.Order());
    }

    [Fact]
    public void A_worker_says_clearly_when_the_study_is_missing_or_was_not_made_by_search()
    {
        string dir = CliHarness.TempDir();
        string db = Path.Combine(dir, "w.db");
        CliRun help = CliHarness.Run(dir, "worker", "--help");
        Assert.Contains("--storage", help.Stdout);
        Assert.Contains("trial budget", help.Stdout);

        CliRun missing = CliHarness.Run(dir, "worker", "--storage", $"sqlite:///{db}", "--study", "nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("study 'nope' not found", missing.Stderr);

        Assert.Equal(0, CliHarness.Run(dir, "worker", "--storage", $"sqlite:///{db}", "--study", "fn", "--function", "branin", "--trials", "2").ExitCode);
        CliRun noSettings = CliHarness.Run(dir, "worker", "--storage", $"sqlite:///{db}", "--study", "fn");
        Assert.Equal(1, noSettings.ExitCode);
        Assert.Contains("has no search settings", noSettings.Stderr);
    }

    // ---- helpers ----

    private sealed record Running(Process Process, Task<string> Stdout, StringBuilder Stderr)
    {
        public string Log() { lock (Stderr) return Stderr.ToString(); }

        public CliRun Wait(TimeSpan limit)
        {
            if (!Process.WaitForExit(limit))
            {
                Process.Kill(entireProcessTree: true);
                throw new TimeoutException("process did not end:\n" + Log());
            }
            Process.WaitForExit();
            return new CliRun(Process.ExitCode, Stdout.Result, Log());
        }
    }

    private static Running Start(string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(CliHarness.RepoRoot, "edgeautoml"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var err = new StringBuilder();
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
        p.BeginErrorReadLine();
        return new Running(p, p.StandardOutput.ReadToEndAsync(), err);
    }

    private static string ConnectionString(string url) => PostgresUrl.Parse(url).ConnectionString;

    private static long Count(string url, string sql, bool missingTablesAreZero = false)
    {
        using var c = new NpgsqlConnection(ConnectionString(url));
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        try { return Convert.ToInt64(cmd.ExecuteScalar()); }
        catch (PostgresException e) when (missingTablesAreZero && e.SqlState == PostgresErrorCodes.UndefinedTable) { return 0; }
    }
}
