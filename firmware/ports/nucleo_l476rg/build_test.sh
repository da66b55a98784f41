#!/bin/bash
# CTest: cross-compiles the NUCLEO-L476RG port (-Os) with -Werror and prints its size split.
# usage: build_test.sh FIRMWARE_SRC BUILD_DIR      exit 77 = skipped, with the reason
set -euo pipefail
src=$1 build=$2
if ! command -v arm-none-eabi-gcc >/dev/null; then
  echo "SKIPPED: arm-none-eabi-gcc not found (apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi)"
  exit 77
fi
cmake -S "$src" -B "$build" -DEDGEAUTOML_PORT=nucleo_l476rg -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DCMAKE_TOOLCHAIN_FILE="$src/cmake/arm-none-eabi.cmake" >/dev/null
cmake --build "$build" -j2 >/dev/null
/usr/bin/python3 "$src/tools/fw_size.py" "$build/edgeautoml-fw-nucleo_l476rg.map" "nucleo_l476rg (-Os)"
