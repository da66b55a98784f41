# CTest entries of the host build that exercise the cross ports. Each builds its port in a
# separate build tree under this one (the toolchain differs) and is only added when the tools
# are there; the configure log says why one is missing.
find_program(ARM_GCC arm-none-eabi-gcc)
find_program(QEMU_ARM qemu-system-arm)
set(_apt "apt-get install -y --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm")

if(ARM_GCC AND QEMU_ARM)
  add_executable(qemu_protocol_test ports/qemu/test/qemu_protocol_test.c tests/host_client.c
    tests/blob_builder.c core/frame.c core/cobs.c core/crc32.c)
  target_include_directories(qemu_protocol_test PRIVATE tests core)
  add_test(NAME qemu_port COMMAND bash ${PROJECT_SOURCE_DIR}/ports/qemu/test/run.sh ${PROJECT_SOURCE_DIR}
    ${CMAKE_BINARY_DIR}/cross-qemu $<TARGET_FILE:qemu_protocol_test> $<TARGET_FILE:edgeautoml-fw-host>)
  set_tests_properties(qemu_port PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
else()
  message(STATUS "qemu_port test not added: arm-none-eabi-gcc or qemu-system-arm missing (${_apt})")
endif()

# libFuzzer runs (fuzz/run.sh): 30 s per harness by default, fail on a crash; exit 77 (skipped,
# with the reason) when clang cannot link -fsanitize=fuzzer.
set(EDGEAUTOML_FUZZ_SECONDS 30 CACHE STRING "seconds per fuzz harness in the fuzz CTest")
find_program(FUZZ_CLANG NAMES clang-14 clang)
if(FUZZ_CLANG)
  add_test(NAME fuzz COMMAND bash ${PROJECT_SOURCE_DIR}/fuzz/run.sh ${CMAKE_BINARY_DIR}/fuzz ${EDGEAUTOML_FUZZ_SECONDS})
  set_tests_properties(fuzz PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600)
else()
  message(STATUS "fuzz test not added: clang not found (apt-get install -y clang-14 libclang-rt-14-dev)")
endif()

# The real-board port only has to cross-compile here (no hardware): build it, print the sizes.
if(ARM_GCC)
  add_test(NAME nucleo_l476rg_build COMMAND bash ${PROJECT_SOURCE_DIR}/ports/nucleo_l476rg/build_test.sh
    ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/cross-nucleo)
  set_tests_properties(nucleo_l476rg_build PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
else()
  message(STATUS "nucleo_l476rg_build test not added: arm-none-eabi-gcc missing (${_apt})")
endif()
