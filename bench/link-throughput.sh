#!/bin/bash
# Windowed model transfer at line rate: the host firmware's pty paced to 115200 and 921600 baud
# (8N1: baud/10 bytes/s each way); prints payload throughput as % of the line rate (goal >= 90 %).
# Extra arguments go to the bench: --bytes N --baud B,B --window W --chunk C --repeat R.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root/firmware" -B "$root/firmware/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$root/firmware/build" -j2 --target edgeautoml-fw-host >/dev/null
cd "$root"
exec dotnet run -c Release --project "$root/bench/EdgeAutoMl.Bench.Link" -- "$@"
