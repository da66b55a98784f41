#!/usr/bin/python3
"""Do our sampler and Optuna's take the same steps over several trials? Both sides start from one shared history
(HISTORY points of the LCG both benches draw bit for bit, see bench/optuna_compare.py) and run TRIALS more trials
with each of SEEDS seeds; the best value (or hypervolume) of those new trials is compared as two samples.

    /usr/bin/python3 bench/continuation_compare.py [--sampler tpe] [--function rosenbrock10] [--history 90]
        [--trials 30] [--seeds 200] [--jobs 1]

A shared start removes most of what makes two seed-medians of a whole study differ, so this is a sharper check of
"same algorithm" than the efficiency table, and a multi-step one beside the one-step test in the test suite
(OptunaTpeProposalTests). Large p (Mann-Whitney, Kolmogorov-Smirnov): no evidence the two differ.
"""
import argparse
import concurrent.futures as cf
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_efficiency import MULTI_OBJECTIVE, run_optuna, run_ours  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sampler", default="tpe")
    ap.add_argument("--function", default="rosenbrock10")
    ap.add_argument("--history", type=int, default=90)
    ap.add_argument("--trials", type=int, default=30)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args()
    from scipy.stats import ks_2samp, mannwhitneyu
    seeds = list(range(a.seeds))
    ours = {int(r["seed"]): float(r["score@end"]) for r in run_ours(a.sampler, a.function, a.trials, seeds, a.history)}
    with cf.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        runs = pool.map(lambda s: run_optuna(a.sampler, a.function, a.trials, s, a.history), seeds)
        optuna = {int(r["seed"]): float(r["score@end"]) for rs in runs for r in rs}
    x, y = [ours[s] for s in seeds], [optuna[s] for s in seeds]
    worse = "less" if a.function in MULTI_OBJECTIVE else "greater"
    print(f"{a.sampler} {a.function}: {a.trials} trials after a shared {a.history}-point history, {len(seeds)} seeds each")
    print(f"  median edgeautoml {statistics.median(x):.6g}, optuna 3.1 {statistics.median(y):.6g}")
    print(f"  Mann-Whitney p {mannwhitneyu(x, y).pvalue:.3g} (one-sided, ours worse: "
          f"{mannwhitneyu(x, y, alternative=worse).pvalue:.3g}); Kolmogorov-Smirnov p {ks_2samp(x, y).pvalue:.3g}")


if __name__ == "__main__":
    main()
