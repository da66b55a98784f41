#!/usr/bin/python3
"""Compares two sets of benchmark runs checkpoint by checkpoint: median score after every 10 trials on each side and
a two-sided Mann–Whitney p, so one sees where one setting pulls ahead of the other, not only the figures at 100 and 300:

    /usr/bin/python3 bench/trajectory_compare.py A.txt B.txt [--every 20]

A and B hold RESULT lines (bench/sampler_bench.cs with a seed list, or bench/optuna_compare.py, one seed per run), each
with scores=S10,S20,... For example, normalised against width-weighted TPE kernels on ZDT1:

    dotnet run -c Release bench/sampler_bench.cs -- motpe zdt1 300 $(seq -s, 0 99) 0 normalized_kernels=true > a.txt
    dotnet run -c Release bench/sampler_bench.cs -- motpe zdt1 300 $(seq -s, 0 99) 0 normalized_kernels=false > b.txt

A mark in the last column says which side is ahead at p < 0.01. Higher is better for hypervolume (2-3 objectives),
lower for a best value; the mark follows the function's direction.
"""
import argparse
import os
import statistics
import sys

from scipy.stats import mannwhitneyu

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_efficiency import MULTI_OBJECTIVE  # noqa: E402


def runs(path):
    out = []
    for line in open(path):
        if line.startswith("RESULT "):
            fields = dict(kv.split("=", 1) for kv in line.split()[1:])
            if "scores" not in fields:
                raise SystemExit(f"{path}: a RESULT line without scores= (rerun with the current bench scripts)")
            out.append((fields["function"], [float(s) for s in fields["scores"].split(",")]))
    if not out:
        raise SystemExit(f"{path}: no RESULT lines")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--every", type=int, default=20, help="print every N trials (a multiple of 10)")
    args = ap.parse_args()
    a, b = runs(args.a), runs(args.b)
    functions = {f for f, _ in a + b}
    if len(functions) != 1:
        raise SystemExit(f"both files must hold runs of one function, found {sorted(functions)}")
    higher_better = functions.pop() in MULTI_OBJECTIVE
    n = min(min(len(s) for _, s in a), min(len(s) for _, s in b))
    print(f"{len(a)} runs in {args.a} (A), {len(b)} in {args.b} (B)")
    print(f"{'trials':>6} {'median A':>12} {'median B':>12} {'p':>8}  ahead")
    for i in range(args.every // 10 - 1, n, args.every // 10):
        x, y = [s[i] for _, s in a], [s[i] for _, s in b]
        p = mannwhitneyu(x, y).pvalue
        mx, my = statistics.median(x), statistics.median(y)
        ahead = "" if p >= 0.01 else ("A" if (mx > my) == higher_better else "B")
        print(f"{(i + 1) * 10:>6} {mx:>12.6g} {my:>12.6g} {p:>8.2g}  {ahead}")


if __name__ == "__main__":
    main()
