# NUCLEO-L476RG (STM32L476RG, Cortex-M4F at 80 MHz). Included by firmware/CMakeLists.txt when
# EDGEAUTOML_PORT=nucleo_l476rg (with cmake/arm-none-eabi.cmake as the toolchain).
include(${PROJECT_SOURCE_DIR}/cmake/cortexm.cmake)
set(_n ${PROJECT_SOURCE_DIR}/ports/nucleo_l476rg)
# 96 KiB SRAM1: 56 KiB arena + 8 KiB input + retry cache/frame buffers/USART ring + 6 KiB stack.
fw_cortexm_image(edgeautoml-fw-nucleo_l476rg
  LDSCRIPT ${_n}/stm32l476rg.ld
  ARENA 49152 INPUT 8192
  CPU_FLAGS -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
  SOURCES ${_n}/main.c ${_n}/hal_nucleo.c ${_n}/clock.c ${_n}/usart2.c ${_n}/flash_l4.c
          ${_n}/model_store.c ${_n}/vectors.c)
target_compile_definitions(edgeautoml-fw-nucleo_l476rg PRIVATE FW_PORT_OWN_VECTORS)
fw_embed_model(edgeautoml-fw-nucleo_l476rg)
