#!/usr/bin/python3
"""Runs Debian's Optuna (3.1, /usr/bin/python3) on the same benchmark functions and protocol as
EdgeAutoMl.Bench.SamplerBenchmark and prints the same figures, so suggest latency and sample efficiency can be
compared side by side:

    /usr/bin/python3 bench/optuna_compare.py SAMPLER FUNCTION TRIALS SEED [HISTORY]

With HISTORY, the latency at HISTORY finished trials is measured directly (bench/sampler_speed.sh): the study is first
given HISTORY trials drawn by the LCG of lcg_history (bit for bit the points EdgeAutoMl.Bench's warm mode draws), then
TRIALS trials are run with the sampler and all of them are timed (RESULT mean_suggest_ms_last100 then covers them all).

SAMPLER: tpe | motpe | nsga2 | random | qmc, with options as NAME:key=value,... (Optuna's argument names;
`tpe:density_fix` applies Optuna 3.5's truncated-normal fix to an older Optuna, see apply_density_fix;
`motpe:split_memo` computes each trial's split once instead of once per parameter, same results, see apply_split_memo).  FUNCTION: branin hartmann6 rosenbrock10 bitwidth20 bitwidth20mo zdt1 zdt2 dtlz2.
Protocol: ask/tell on an in-memory study; the timed part is study.ask() plus every suggest call; the objective is
evaluated outside the timer. cpu_suggest_ms_last100 is the same window in thread CPU time (robust to machine load). Score = best value (1 objective) or hypervolume of the front w.r.t. the reference point.
"""
import math
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")


def floats(n, low, high):
    return lambda t: [t.suggest_float(f"x{i}", low, high) for i in range(n)]


def branin(x):
    b, c, r, s, tt = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6, 10, 1 / (8 * math.pi)
    y = x[1] - b * x[0] ** 2 + c * x[0] - r
    return [y * y + s * (1 - tt) * math.cos(x[0]) + s]


HA = [1.0, 1.2, 3.0, 3.2]
HAM = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HP = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
      [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return [-sum(HA[i] * math.exp(-sum(HAM[i][j] * (x[j] - HP[i][j]) ** 2 for j in range(6))) for i in range(4))]


def rosenbrock10(x):
    return [sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(9))]


def bitwidth_terms(b):
    """Quantisation noise, weighted bits and total weight of 20 layers (as BitWidthTerms in Functions.cs)."""
    noise = size = total = 0.0
    for i in range(20):
        s, w = 1 + 9 * ((i * 7) % 20) / 19.0, 1000 * (1 + (i * 13) % 5)
        noise += s * 4.0 ** (-b[i])
        size += w * b[i]
        total += w
    return noise, size, total


def bitwidth20(b):
    noise, size, total = bitwidth_terms(b)
    return [noise + 0.02 * size / total]


def bitwidth20mo(b):
    noise, size, total = bitwidth_terms(b)
    return [math.log10(noise), size / total]


def zdt1(x):
    g = 1 + 9 * sum(x[1:]) / 29
    return [x[0], g * (1 - math.sqrt(x[0] / g))]


def zdt2(x):
    g = 1 + 9 * sum(x[1:]) / 29
    return [x[0], g * (1 - (x[0] / g) ** 2)]


def dtlz2(x):
    g = sum((xi - 0.5) ** 2 for xi in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    return [(1 + g) * math.cos(a) * math.cos(b), (1 + g) * math.cos(a) * math.sin(b), (1 + g) * math.sin(a)]


FUNCTIONS = {
    "branin": (1, lambda t: [t.suggest_float("x0", -5, 10), t.suggest_float("x1", 0, 15)], branin, None),
    "hartmann6": (1, floats(6, 0, 1), hartmann6, None),
    "rosenbrock10": (1, floats(10, -5, 10), rosenbrock10, None),
    "bitwidth20": (1, lambda t: [float(t.suggest_categorical(f"layer{i}", [2, 3, 4, 5, 6, 7, 8])) for i in range(20)],
                   bitwidth20, None),
    "bitwidth20mo": (2, lambda t: [float(t.suggest_int(f"layer{i}", 2, 8)) for i in range(20)], bitwidth20mo, [1.0, 8.5]),
    "zdt1": (2, floats(30, 0, 1), zdt1, [11.0, 11.0]),
    "zdt2": (2, floats(30, 0, 1), zdt2, [11.0, 11.0]),
    "dtlz2": (3, floats(12, 0, 1), dtlz2, [3.0, 3.0, 3.0]),
}


def apply_density_fix():
    """Bench option `tpe:density_fix`: Optuna before 3.5 left -log(scale) out of the truncated normal's log density
    (optuna issue #5109, fixed by PR #5110), so its TPE kernels were not normalised. Applying the fix at run time makes
    Debian's 3.1 score as Optuna >= 3.5 does, which is what EdgeAutoMl's TPE implements; PyPI is not reachable here."""
    import numpy as np
    import optuna.samplers._tpe._truncnorm as truncnorm
    major, minor = (int(p) for p in optuna.__version__.split(".")[:2])
    if (major, minor) < (3, 5):
        unscaled = truncnorm.logpdf
        truncnorm.logpdf = lambda x, a, b, loc=0, scale=1: unscaled(x, a, b, loc, scale) - np.log(scale)


def apply_split_memo():
    """Bench option `motpe:split_memo`, for sample-efficiency runs only (never for latency): Optuna 3.1's univariate TPE
    splits the trials again for every parameter it samples, and with several objectives each split solves a hypervolume
    subset selection (hundreds of WFG calls): 12 identical splits per DTLZ2 trial, some 40 CPU-minutes per 300-trial
    run. Both functions are deterministic in their arguments, so remembering the last answer returns exactly what the
    call would have computed; the proposals, and so the scores, do not change (checked: every 10-trial checkpoint of
    300-trial DTLZ2 runs equals the unpatched run's, seeds 0 and 9)."""
    import optuna.samplers._tpe.sampler as tpe

    def remember(fn):
        last = {}

        def wrapper(*args):
            key = repr(args)
            if key not in last:
                last.clear()
                last[key] = fn(*args)
            result = last[key]
            return tuple(r.copy() for r in result) if isinstance(result, tuple) else result.copy()
        return wrapper

    tpe._split_observation_pairs = remember(tpe._split_observation_pairs)
    tpe._calculate_weights_below_for_multi_objective = remember(tpe._calculate_weights_below_for_multi_objective)


def make_sampler(spec, seed):
    """SPEC as EdgeAutoMl's SamplerSpec: NAME[:key=value,...] with Optuna's argument names (bare key = True)."""
    name, _, opts = spec.partition(":")
    kwargs = {}
    for part in filter(None, opts.split(",")):
        key, eq, value = part.partition("=")
        if not eq:
            kwargs[key] = True
        elif value.lower() in ("true", "false"):
            kwargs[key] = value.lower() == "true"
        else:
            kwargs[key] = float(value) if "." in value else int(value)
    if name in ("tpe", "motpe"):
        if kwargs.pop("density_fix", False):
            apply_density_fix()
        if kwargs.pop("split_memo", False):
            apply_split_memo()
        return optuna.samplers.TPESampler(seed=seed, **kwargs)
    if name in ("nsga2", "nsgaii"):
        return optuna.samplers.NSGAIISampler(seed=seed, **kwargs)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed, **kwargs)
    if name in ("qmc", "sobol"):
        return optuna.samplers.QMCSampler(seed=seed, **kwargs)
    raise SystemExit(f"unknown sampler {name}")


def hypervolume(front, ref):
    from optuna._hypervolume import WFG
    import numpy as np
    return float(WFG().compute(np.asarray(front, dtype=float), np.asarray(ref, dtype=float))) if front else 0.0


def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


class LcgSampler(optuna.samplers.BaseSampler):
    """Uniform points from a 64-bit LCG (same constants and order as the C# side), to build identical histories."""

    def __init__(self):
        self.state = 0x853C49E6748FEA9B

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return float(self.state >> 11) / 9007199254740992.0

    def infer_relative_search_space(self, study, trial):
        return {}

    def sample_relative(self, study, trial, search_space):
        return {}

    def sample_independent(self, study, trial, name, dist):
        u = self.next()
        if isinstance(dist, optuna.distributions.CategoricalDistribution):
            return dist.choices[min(int(u * len(dist.choices)), len(dist.choices) - 1)]
        return dist.low + u * (dist.high - dist.low)


def lcg_history(n_obj, suggest, evaluate, count):
    source = optuna.create_study(directions=["minimize"] * n_obj, sampler=LcgSampler())
    for _ in range(count):
        trial = source.ask()
        source.tell(trial, evaluate(suggest(trial)))
    return source.trials


def main():
    sampler_name = sys.argv[1] if len(sys.argv) > 1 else "tpe"
    fname = sys.argv[2] if len(sys.argv) > 2 else "hartmann6"
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    history = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    n_obj, suggest, evaluate, ref = FUNCTIONS[fname]
    study = optuna.create_study(directions=["minimize"] * n_obj, sampler=make_sampler(sampler_name, seed))
    if history:
        study.add_trials(lcg_history(n_obj, suggest, evaluate, history))
    times, cpu, front, best, checkpoints = [], [], [], math.inf, []
    for i in range(trials):
        start, cpu_start = time.perf_counter(), time.thread_time()
        trial = study.ask()
        x = suggest(trial)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - cpu_start) * 1000)
        values = evaluate(x)
        study.tell(trial, values)
        if n_obj == 1:
            best = min(best, values[0])
        elif not any(dominates(q, values) or q == values for q in front):
            front = [q for q in front if not dominates(values, q)] + [values]
        if (i + 1) % 10 == 0 or i == trials - 1:
            score = best if n_obj == 1 else hypervolume(front, ref)
            frm = checkpoints[-1][0] if checkpoints else 0
            ms = sum(times[frm:i + 1]) / (i + 1 - frm)
            checkpoints.append((i + 1, score, ms))
            print(f"trial {i + 1:5d}  score {score:14.10g}  suggest_ms {ms:9.3f}", flush=True)

    def score_at(n):
        s = [c[1] for c in checkpoints if c[0] <= n]
        return s[-1] if s else float("nan")

    window = trials if history else 100
    last = times[max(0, trials - window):]
    last_cpu = cpu[max(0, trials - window):]
    print(f"RESULT impl=optuna-{optuna.__version__} sampler={sampler_name} function={fname} seed={seed} trials={trials} history={history} "
          f"score@100={score_at(100):.10g} score@300={score_at(300):.10g} score@end={checkpoints[-1][1]:.10g} "
          f"mean_suggest_ms={sum(times) / len(times):.4f} mean_suggest_ms_last100={sum(last) / len(last):.4f} "
          f"cpu_suggest_ms_last100={sum(last_cpu) / len(last_cpu):.4f} "
          f"scores={','.join(f'{c[1]:.10g}' for c in checkpoints)}")


if __name__ == "__main__":
    main()
