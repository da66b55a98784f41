#!/usr/bin/python3
"""Sample efficiency, EdgeAutoMl vs Optuna, on the same functions and protocol (bench/sampler_bench.cs and
bench/optuna_compare.py): the median over seeds of the best value (one objective, lower is better) or of the
hypervolume (several objectives, higher is better) after each checkpoint, printed as one table.

    /usr/bin/python3 bench/compare_efficiency.py [--seeds 10] [--at 100,300] [--jobs 1]
        [--cases tpe:branin,tpe:hartmann6,motpe:zdt1] [--only ours|optuna] [--cache FILE]

A case is SAMPLER[:option]:FUNCTION, the option in Optuna's name on both sides where both have it (Optuna's side also
takes `tpe:density_fix`, which runs its TPE with Optuna 3.5's kernels; ours takes `tpe:normalized_kernels=true|false`).

--cache keeps every finished run (JSON, keyed by implementation/sampler/function/trials/seed) so an interrupted
comparison resumes, and the slow side (Optuna's MOTPE takes about a second per trial at 300 trials) can run ahead.
Optuna: Debian's python3-optuna via /usr/bin/python3. Ours: `dotnet run -c Release bench/sampler_bench.cs`.
"""
import argparse
import concurrent.futures as cf
import json
import os
import re
import statistics
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULT = re.compile(r"^RESULT .*")
MULTI_OBJECTIVE = {"bitwidth20mo", "zdt1", "zdt2", "dtlz2"}  # scored by hypervolume (higher is better)


def parse(line):
    return dict(kv.split("=", 1) for kv in line.split()[1:])


def run_optuna(sampler, function, trials, seed, history=0):
    out = subprocess.run(["/usr/bin/python3", os.path.join(ROOT, "bench", "optuna_compare.py"), sampler, function,
                          str(trials), str(seed)] + ([str(history)] if history else []),
                         capture_output=True, text=True, check=True).stdout
    return [parse(l) for l in out.splitlines() if RESULT.match(l)]


def run_ours(sampler, function, trials, seeds, history=0):
    # One process runs every seed (sampler_bench.cs takes a comma-separated list): dotnet start-up paid once.
    out = subprocess.run(["dotnet", "run", "-c", "Release", os.path.join(ROOT, "bench", "sampler_bench.cs"), "--",
                          sampler, function, str(trials), ",".join(map(str, seeds))] + ([str(history)] if history else []),
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return [parse(l) for l in out.splitlines() if RESULT.match(l)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--at", default="100,300")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--cases", default="tpe:branin,tpe:hartmann6,motpe:zdt1")
    ap.add_argument("--only", choices=["ours", "optuna"])
    ap.add_argument("--cache")
    a = ap.parse_args()
    at = [int(x) for x in a.at.split(",")]
    trials = max(at)
    cases = [tuple(c.rsplit(":", 1)) for c in a.cases.split(",")]  # SAMPLER[:options]:FUNCTION
    seeds = list(range(a.seeds))
    cache = {}
    if a.cache and os.path.exists(a.cache):
        with open(a.cache) as f:
            cache = json.load(f)
    lock = threading.Lock()

    def save(key, result):
        with lock:
            cache[key] = result
            if a.cache:
                with open(a.cache + ".tmp", "w") as f:
                    json.dump(cache, f, indent=0)
                os.replace(a.cache + ".tmp", a.cache)

    def key(impl, s, fn, seed):
        return f"{impl}/{s}/{fn}/{trials}/{seed}"

    jobs = []
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for s, fn in cases:
            if a.only != "optuna":
                todo = [seed for seed in seeds if key("ours", s, fn, seed) not in cache]
                if todo:
                    def ours(s=s, fn=fn, todo=todo):
                        for r in run_ours(s, fn, trials, todo):
                            save(key("ours", s, fn, int(r["seed"])), r)
                    jobs.append(pool.submit(ours))
            if a.only != "ours":
                for seed in seeds:
                    if key("optuna", s, fn, seed) in cache:
                        continue

                    def opt(s=s, fn=fn, seed=seed):
                        for r in run_optuna(s, fn, trials, seed):
                            save(key("optuna", s, fn, seed), r)
                            print(f"  optuna {s} {fn} seed {seed}: score@end {r['score@end']}", file=sys.stderr, flush=True)
                    jobs.append(pool.submit(opt))
        for j in jobs:
            j.result()

    try:
        from scipy.stats import mannwhitneyu  # python3-scipy; only for the p column
    except ImportError:
        mannwhitneyu = None
    print(f"median over seeds 0..{a.seeds - 1} (best value: lower is better; hypervolume: higher is better)")
    print("p: two-sided Mann-Whitney U over the seeds (small p: the two samplers differ; large p: no evidence they do)")
    print("p worse: one-sided, the alternative being that ours is worse (the non-inferiority question; with many rows,")
    print("         compare the smallest with 0.05 / rows, Holm's first step, as one row in 20 falls under 0.05 by chance)")
    print(f"{'sampler':7} {'function':10} {'trials':>6} {'edgeautoml':>14} {'optuna 3.1':>14} {'seeds':>9} {'p':>8} {'p worse':>8}")
    for s, fn in cases:
        for n in at:
            row = []
            for impl in ("ours", "optuna"):
                vals = [float(cache[k][f"score@{n}"]) for k in (key(impl, s, fn, sd) for sd in seeds) if k in cache]
                row.append((statistics.median(vals) if vals else float("nan"), len(vals), vals))
            both = mannwhitneyu and row[0][1] > 1 and row[1][1] > 1
            p = mannwhitneyu(row[0][2], row[1][2]).pvalue if both else float("nan")
            # Ours is worse when its values are larger (best value, minimised) or smaller (hypervolume).
            worse = "less" if fn in MULTI_OBJECTIVE else "greater"
            pw = mannwhitneyu(row[0][2], row[1][2], alternative=worse).pvalue if both else float("nan")
            print(f"{s:7} {fn:10} {n:6d} {row[0][0]:14.6g} {row[1][0]:14.6g} {row[0][1]:>4}/{row[1][1]:<4} {p:8.3g} {pw:8.3g}")


if __name__ == "__main__":
    main()
