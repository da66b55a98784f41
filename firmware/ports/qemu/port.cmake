# The QEMU port: mps2-an386 (Cortex-M4). Included by firmware/CMakeLists.txt when
# EDGEAUTOML_PORT=qemu (with cmake/arm-none-eabi.cmake as the toolchain).
include(${PROJECT_SOURCE_DIR}/cmake/cortexm.cmake)
set(_q ${PROJECT_SOURCE_DIR}/ports/qemu)
# The Cortex-M4 DSP kernels (core/kernels/opt) by default: the QEMU backend should measure what a
# real M4 would run. -DEDGEAUTOML_OPT_KERNELS=OFF measures the reference kernels instead.
if(NOT DEFINED EDGEAUTOML_OPT_KERNELS)
  set(EDGEAUTOML_OPT_KERNELS ON)
endif()
# Soft float: the integer kernels need no FPU, and the startup code then need not enable it.
fw_cortexm_image(edgeautoml-fw-qemu
  LDSCRIPT ${_q}/mps2_an386.ld
  ARENA 524288 INPUT 65536
  CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
  SOURCES ${_q}/main.c ${_q}/hal_qemu.c ${_q}/cmsdk_uart.c ${_q}/systick_clock.c ${_q}/trigger_line.c)
