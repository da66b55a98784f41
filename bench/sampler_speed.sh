#!/bin/bash
# Suggest latency at ~1000 finished trials, EdgeAutoMl vs Debian's Optuna (python3-optuna 3.1), side by side in one run:
#   bench/sampler_speed.sh [HISTORY]        (default 1000)
# TPE and MOTPE: both sides start from the same HISTORY finished trials (bit-identical LCG points, see LcgSampler in
# bench/sampler_bench.cs and bench/optuna_compare.py) and time the next trials (ask + every suggest; tell untimed).
# NSGA-II ignores trials without its generation attr, so it runs HISTORY trials from scratch and the last 100 are timed.
# Columns: mean wall-clock and thread-CPU milliseconds per trial; ratio = Optuna / EdgeAutoMl. On a loaded machine
# compare the CPU ratio (wall clock swings with the load; CPU time mostly does not).
set -euo pipefail
cd "$(dirname "$0")/.."
HISTORY=${1:-1000}
PY=/usr/bin/python3
if ! $PY -c "import optuna" 2>/dev/null; then
    echo "python3-optuna is missing: sudo apt-get install python3-optuna" >&2
    exit 1
fi
dotnet build -c Release bench/EdgeAutoMl.Bench -v q -nologo >/dev/null
# sampler  function  ours-trials  optuna-trials  mode(warm|full)
CASES=(
    "tpe hartmann6 100 100 warm"
    "tpe:multivariate hartmann6 100 100 warm"
    "motpe zdt1 30 3 warm"
    "nsga2 zdt1 $HISTORY $HISTORY full"
)
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
printf "%-18s %-10s %6s | %10s %10s | %10s %10s | %8s %8s\n" sampler function trials ours_wall ours_cpu optuna_wall optuna_cpu x_wall x_cpu
for c in "${CASES[@]}"; do
    read -r spec fn ours_n opt_n mode <<<"$c"
    name=${spec%%:*}; opts=""; [[ $spec == *:* ]] && opts=${spec#*:}
    if [[ $mode == warm ]]; then hist=$HISTORY; else hist=0; fi
    ours=$(dotnet run -c Release bench/sampler_bench.cs -- "$name" "$fn" "$ours_n" 0 "$hist" "$opts" | grep '^RESULT')
    opt=$($PY bench/optuna_compare.py "$spec" "$fn" "$opt_n" 0 "$hist" | grep '^RESULT')
    ow=$(field mean_suggest_ms_last100 <<<"$ours"); oc=$(field cpu_suggest_ms_last100 <<<"$ours")
    pw=$(field mean_suggest_ms_last100 <<<"$opt"); pc=$(field cpu_suggest_ms_last100 <<<"$opt")
    printf "%-18s %-10s %6s | %10.3f %10.3f | %10.3f %10.3f | %8.1f %8.1f\n" "$spec" "$fn" "$HISTORY" "$ow" "$oc" "$pw" "$pc" \
        "$(echo "$pw / $ow" | bc -l)" "$(echo "$pc / $oc" | bc -l)"
done
