#!/bin/bash
# Builds the Cortex-M ports at -Os (MinSizeRel) and prints text/data/bss per part:
# core = protocol + loader + runtime, kernels, port (HAL + startup), libc. A figure, not a test.
# The NUCLEO-L476RG (a Cortex-M4 with the DSP extension) is built twice: reference kernels only,
# and with the optimized kernels (-DEDGEAUTOML_OPT_KERNELS=ON), whose own objects are listed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/firmware/build-size}
command -v arm-none-eabi-gcc >/dev/null || { echo "arm-none-eabi-gcc not found (apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi)"; exit 1; }
for cfg in qemu nucleo_l476rg nucleo_l476rg:opt; do
  port=${cfg%%:*} dir=$out/${cfg/:/-} opt=OFF label="$port (-Os, bytes)"
  [[ $cfg == *:opt ]] && opt=ON label="$port with the optimized kernels (-Os, bytes)"
  cmake -S "$root/firmware" -B "$dir" -DEDGEAUTOML_PORT=$port -DCMAKE_BUILD_TYPE=MinSizeRel \
    -DEDGEAUTOML_OPT_KERNELS=$opt -DCMAKE_TOOLCHAIN_FILE="$root/firmware/cmake/arm-none-eabi.cmake" >/dev/null
  cmake --build "$dir" -j2 >/dev/null
  /usr/bin/python3 "$root/firmware/tools/fw_size.py" "$dir/edgeautoml-fw-$port.map" "$label"
  if [[ $opt == ON ]]; then
    echo "  of which core/kernels/opt (objects before --gc-sections):"
    find "$dir" -path '*core/kernels/opt/*.obj' -print0 | sort -z | xargs -0 arm-none-eabi-size -t | sed 's|^|    |; s|/.*/||'
  fi
done
