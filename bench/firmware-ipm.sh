#!/bin/bash
# Kernel speed on a Cortex-M4 under QEMU (mps2-an386, -icount shift=0: instruction counts,
# identical run after run): builds firmware/bench/ipm_main.c with arm-none-eabi-gcc and prints
# instructions per MAC of the reference and the optimized (core/kernels/opt) kernels, for blob
# format 1 (two roundings) and format 2 (one rounding, what the host writes) side by side with
# CMSIS-NN's figures. Exit status non-zero if the two kernels ever disagree in either format.
# usage: bench/firmware-ipm.sh [OUT_DIR]     (CFLAGS_OPT=-Os to measure the size build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fw=$root/firmware
out=${1:-$fw/build-ipm}
opt=${CFLAGS_OPT:--O2}
for tool in arm-none-eabi-gcc qemu-system-arm; do
  command -v $tool >/dev/null || { echo "$tool not found (apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)"; exit 77; }
done
mkdir -p "$out"
arm-none-eabi-gcc -std=c11 -Wall -Wextra -Werror $opt -mcpu=cortex-m4 -mthumb -mfloat-abi=soft \
  -ffunction-sections -fdata-sections -I"$fw/core" -I"$fw/bench" \
  "$fw/bench/ipm_main.c" "$fw/bench/bench_layers.c" "$fw"/core/kernels/*.c "$fw"/core/kernels/opt/*.c \
  "$fw/ports/cortexm/startup.c" \
  -nostartfiles --specs=rdimon.specs -Wl,--gc-sections -Wl,--defsym=end=_ebss \
  -Wl,-T,"$fw/ports/qemu/mps2_an386.ld" -Wl,-Map,"$out/ipm.map" -o "$out/ipm.elf"
echo "# $(arm-none-eabi-gcc --version | head -1), $opt; $(qemu-system-arm --version | head -1)"
echo "# ipm = guest instructions per multiply-accumulate (SysTick ticks x 40 under -icount shift=0)"
timeout 600 qemu-system-arm -M mps2-an386 -nographic -monitor none -icount shift=0 \
  -semihosting-config enable=on,target=native -kernel "$out/ipm.elf"
