#!/usr/bin/python3
"""Sample efficiency of the GP sampler next to our TPE and Optuna 3.1's TPE (Debian's optuna has no GPSampler):
median over seeds of the best value after each checkpoint, same functions and protocol as bench/sampler_bench.cs and
bench/optuna_compare.py (one process per run; the checkpoints are read from their "trial N score S" progress lines).

    /usr/bin/python3 bench/gp_compare.py [--seeds 10] [--at 50,100] [--functions branin,hartmann6] [--jobs 2] [--cache FILE]
"""
import argparse
import concurrent.futures as cf
import json
import os
import re
import statistics
import subprocess
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRESS = re.compile(r"^trial\s+(\d+)\s+score\s+(\S+)")
IMPLS = [("gp", "ours"), ("tpe", "ours"), ("tpe", "optuna")]


def checkpoints(out):
    return {int(m.group(1)): float(m.group(2)) for m in map(PROGRESS.match, out.splitlines()) if m}


def run(sampler, impl, function, trials, seed):
    if impl == "ours":
        cmd = ["dotnet", "run", "-c", "Release", os.path.join(ROOT, "bench", "sampler_bench.cs"), "--",
               sampler, function, str(trials), str(seed)]
    else:
        cmd = ["/usr/bin/python3", os.path.join(ROOT, "bench", "optuna_compare.py"), sampler, function, str(trials), str(seed)]
    return checkpoints(subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--at", default="50,100")
    ap.add_argument("--functions", default="branin,hartmann6")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--cache")
    a = ap.parse_args()
    at = [int(x) for x in a.at.split(",")]
    trials = max(at)
    functions = a.functions.split(",")
    cache = {}
    if a.cache and os.path.exists(a.cache):
        with open(a.cache) as f:
            cache = json.load(f)
    lock = threading.Lock()

    def key(s, impl, fn, seed):
        return f"{impl}/{s}/{fn}/{trials}/{seed}"

    def job(s, impl, fn, seed):
        cps = run(s, impl, fn, trials, seed)
        with lock:
            cache[key(s, impl, fn, seed)] = {str(k): v for k, v in cps.items()}
            if a.cache:
                with open(a.cache + ".tmp", "w") as f:
                    json.dump(cache, f)
                os.replace(a.cache + ".tmp", a.cache)

    # The dotnet runs share one build: build it once before running them in parallel.
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "bench", "sampler_bench.cs")],
                   capture_output=True, cwd=ROOT)
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        futures = [pool.submit(job, s, impl, fn, seed) for fn in functions for s, impl in IMPLS
                   for seed in range(a.seeds) if key(s, impl, fn, seed) not in cache]
        for fut in futures:
            fut.result()

    print(f"median best value over seeds 0..{a.seeds - 1} (lower is better)")
    print(f"{'function':10} {'trials':>6} {'gp (ours)':>12} {'tpe (ours)':>12} {'optuna 3.1 tpe':>15}")
    for fn in functions:
        for n in at:
            cells = []
            for s, impl in IMPLS:
                vals = [cache[k][str(n)] for k in (key(s, impl, fn, sd) for sd in range(a.seeds)) if k in cache]
                cells.append(statistics.median(vals) if vals else float("nan"))
            print(f"{fn:10} {n:6d} {cells[0]:12.6g} {cells[1]:12.6g} {cells[2]:15.6g}")


if __name__ == "__main__":
    main()
