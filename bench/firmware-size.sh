#!/bin/bash
# Builds the Cortex-M ports at -Os (MinSizeRel) and prints text/data/bss per part:
# core = protocol + loader + runtime, kernels, port (HAL + startup), libc. A figure, not a test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/firmware/build-size}
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found (apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi)"; exit 1; }
for port in qemu nucleo_l476rg; do
  cmake -S "$root/firmware" -B "$out/$port" -DEDGEAUTOML_PORT=$port -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DCMAKE_TOOLCHAIN_FILE="$root/firmware/cmake/arm-none-eabi.cmake" >/dev/null
  cmake --build "$out/$port" -j2 >/dev/null
  /usr/bin/python3 "$root/firmware/tools/fw_size.py" "$out/$port/edgeautoml-fw-$port.map" "$port (-Os, bytes)"
done
