#!/bin/bash
# Issue #4 target: PROCS OS processes (default 4) sharing one PostgreSQL study, each running N trials (default 100) of
# `edgeautoml worker --function hartmann6` (random sampler, heartbeats on). Starts a throwaway PostgreSQL 15
# (initdb in a temp dir, loopback, fsync on) and prints the wall time and the study's accounting: every trial number
# once, none RUNNING/WAITING, every param row stored once. A figure, not a test (the test is WorkerEndToEndTests).
# Usage: bench/four-workers.sh [N] [PROCS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100}; procs=${2:-4}
bin=/usr/lib/postgresql/15/bin
[ -x "$bin/initdb" ] || { echo "PostgreSQL 15 not found in $bin: apt-get install postgresql"; exit 1; }
dir=$(mktemp -d /tmp/eaml-four-XXXXXX)
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"
as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null
as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null; rm -rf "$dir"' EXIT
q() { "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d "${2:-four}" -tAc "$1"; }
q "CREATE DATABASE four" postgres >/dev/null
url="postgresql://postgres@127.0.0.1:$port/four?heartbeat_interval=2"
"$root/edgeautoml" --help >/dev/null # build once before the clock starts

start=$(date +%s.%N)
pids=()
for i in $(seq 1 "$procs"); do
  "$root/edgeautoml" worker --storage "$url" --study four --function hartmann6 --trials "$n" --seed "$i" --json >"$dir/w$i.json" &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
end=$(date +%s.%N)

total=$((n * procs))
echo "$procs processes x $n trials on one PostgreSQL study: wall $(/usr/bin/python3 -c "print(f'{$end - $start:.1f}')") s"
echo "trials: $(q "SELECT COUNT(*) FROM trials") (expected $total); distinct numbers: $(q "SELECT COUNT(DISTINCT number) FROM trials"), range $(q "SELECT MIN(number) || '..' || MAX(number) FROM trials")"
echo "states: $(q "SELECT string_agg(state::text || '=' || c, ' ') FROM (SELECT state, COUNT(*) c FROM trials GROUP BY state) s")"
echo "param rows: $(q "SELECT COUNT(*) FROM trial_params") (expected $((total * 6))), duplicates (trial, param): $(q "SELECT COUNT(*) FROM (SELECT trial_id, param_name FROM trial_params GROUP BY 1, 2 HAVING COUNT(*) > 1) d")"
echo "trials per process: $(q "SELECT string_agg(c::text, ' ') FROM (SELECT COUNT(*) c FROM trial_system_attributes WHERE key='worker' GROUP BY value_json ORDER BY 1) s")"
