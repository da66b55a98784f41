#!/bin/bash
# CTest driver for the QEMU port: builds it with the cross toolchain in its own build tree,
# then boots it twice under qemu-system-arm and talks the protocol to it.
# usage: run.sh FIRMWARE_SRC BUILD_DIR DRIVER FW_HOST   (exit 77 = skipped, with the reason)
set -euo pipefail
src=$1 build=$2 driver=$3 host=$4
for tool in arm-none-eabi-gcc qemu-system-arm; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIPPED: $tool not found (apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)"
    exit 77
  fi
done
cmake -S "$src" -B "$build" -DEDGEAUTOML_PORT=qemu -DCMAKE_BUILD_TYPE=MinSizeRel \
  -DCMAKE_TOOLCHAIN_FILE="$src/cmake/arm-none-eabi.cmake" >/dev/null
cmake --build "$build" -j2 | grep -E 'error|warning|text|elf' || true
exec "$driver" "$(command -v qemu-system-arm)" "$build/edgeautoml-fw-qemu.elf" "$host"
