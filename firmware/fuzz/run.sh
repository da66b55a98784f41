#!/bin/bash
# Builds the fuzz harnesses with clang, seeds the corpora from valid frames/blobs, and runs
# each harness for SECONDS (default 30). Fails on a crash; prints libFuzzer's final stats.
# usage: run.sh BUILD_DIR [SECONDS]        exit 77 = skipped (no clang with libFuzzer)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$1 secs=${2:-30}
cc=$(command -v clang-14 || command -v clang || true)
if [ -z "$cc" ]; then echo "SKIPPED: clang not found (apt-get install -y clang-14 libclang-rt-14-dev)"; exit 77; fi
probe=$(mktemp -d)
echo 'int LLVMFuzzerTestOneInput(const unsigned char*d,unsigned long n){(void)d;(void)n;return 0;}' > "$probe/p.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null; then
  rm -rf "$probe"; echo "SKIPPED: $cc cannot link -fsanitize=fuzzer,address (apt-get install -y libclang-rt-14-dev)"; exit 77
fi
rm -rf "$probe"
set -e
CC=$cc cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j2 >/dev/null
mkdir -p "$build/corpus/protocol" "$build/corpus/model" "$build/artifacts"
"$build/gen_corpus" "$build/corpus/protocol" "$build/corpus/model"
set +e
status=0
for h in protocol model; do
  log="$build/fuzz_$h.log"
  "$build/fuzz_$h" "$build/corpus/$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
      -artifact_prefix="$build/artifacts/$h-" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  echo "fuzz_$h: exit $rc; $(grep -E '^#[0-9]+' "$log" | tail -1)"
  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$log" | sed "s/^/  /"
  if [ $rc -ne 0 ]; then status=1; grep -A30 -E 'ERROR|SUMMARY|deadly' "$log" | head -60; fi
done
exit $status
