"""Reference client for the interop tests, run with Debian's /usr/bin/python3 (python3-optuna).

  optuna_interop.py describe URL NAME...   print the studies as JSON (the format StudyJson.cs writes)
  optuna_interop.py create URL             write the Python-side studies, then describe them
  optuna_interop.py stale URL NAME GRACE   print the numbers of trials Optuna's heartbeat check finds stale
  optuna_interop.py beat URL NAME NUMBER   record a heartbeat for a trial, as Optuna's worker does
"""
import json
import sys

import optuna


def describe(study):
    trials = []
    for t in study.trials:
        trials.append({
            "number": t.number,
            "state": t.state.name,
            "params": t.params,
            "distributions": {k: optuna.distributions.distribution_to_json(v) for k, v in t.distributions.items()},
            "values": t.values,
            "user_attrs": t.user_attrs,
            "intermediate_values": {str(k): v for k, v in t.intermediate_values.items()},
            "constraints": t.system_attrs.get("constraints"),
        })
    if len(study.directions) == 1:
        try:
            best = [study.best_trial.number]
        except ValueError:
            best = []
    else:
        best = sorted(t.number for t in study.best_trials)
    return {
        "directions": [d.name for d in study.directions],
        "user_attrs": study.user_attrs,
        "trials": trials,
        "best": best,
    }


def create(url):
    single = optuna.create_study(study_name="py-single", storage=url, direction="minimize",
                                 sampler=optuna.samplers.RandomSampler(seed=1))
    single.set_user_attr("origin", "python")

    def objective(trial):
        bits = trial.suggest_int("bits", 2, 8)
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        scale = trial.suggest_float("scale", 0.0, 1.0, step=0.25)
        act = trial.suggest_categorical("act", ["relu", None, 2, 1.5])
        trial.set_user_attr("note", {"bits": bits})
        trial.report(lr * bits, 0)
        if trial.number == 2:
            raise RuntimeError("boom")
        if trial.number == 3:
            raise optuna.TrialPruned()
        return bits * lr + scale + (0 if act == "relu" else 1)

    single.optimize(objective, n_trials=6, catch=(RuntimeError,))
    single.enqueue_trial({"bits": 5, "act": "relu"})

    def constraints(trial):
        return [trial.params["x"] - 0.8]

    multi = optuna.create_study(study_name="py-multi", storage=url, directions=["maximize", "minimize"],
                                sampler=optuna.samplers.NSGAIISampler(seed=2, constraints_func=constraints))
    multi.optimize(lambda t: (t.suggest_float("x", 0, 1), t.suggest_int("y", 1, 100, log=True)), n_trials=8)
    return ["py-single", "py-multi"]


def heartbeat(command, url, name, arg):
    storage = optuna.storages.RDBStorage(url, heartbeat_interval=1, grace_period=int(arg) if command == "stale" else None)
    study_id = storage.get_study_id_from_name(name)
    if command == "beat":
        storage.record_heartbeat(storage.get_trial_id_from_study_id_trial_number(study_id, int(arg)))
        return []
    return sorted(storage.get_trial(i).number for i in storage._get_stale_trial_ids(study_id))


def main():
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    command, url = sys.argv[1], sys.argv[2]
    if command in ("stale", "beat"):
        print(json.dumps(heartbeat(command, url, sys.argv[3], sys.argv[4])))
        return
    names = create(url) if command == "create" else sys.argv[3:]
    out = {name: describe(optuna.load_study(study_name=name, storage=url)) for name in names}
    print(json.dumps(out, sort_keys=True))


main()
