# Builds one Cortex-M firmware image: the core compiled for the port's RAM budget, the port's
# sources, our startup code and linker script. Produces NAME.elf, NAME.bin and a size line.
#   fw_cortexm_image(NAME LDSCRIPT ld ARENA n INPUT n CPU_FLAGS ... SOURCES ...)
function(fw_cortexm_image name)
  cmake_parse_arguments(A "" "LDSCRIPT;ARENA;INPUT" "CPU_FLAGS;SOURCES" ${ARGN})
  # -ffunction-sections + --gc-sections: kernels a model never uses still link (the dispatch
  # table references them), but dead helpers go.
  set(cflags ${A_CPU_FLAGS} -ffunction-sections -fdata-sections -fno-common)
  # -DEDGEAUTOML_OPT_KERNELS=ON: FC/CONV2D run the Cortex-M4 DSP kernels (core/kernels/opt),
  # falling back to the reference ones for what they do not take. Needs the DSP extension.
  set(srcs ${FW_CORE_SOURCES})
  if(EDGEAUTOML_OPT_KERNELS)
    list(APPEND srcs core/kernels/opt/opt_gemm.c core/kernels/opt/opt_fc.c core/kernels/opt/opt_conv.c)
  endif()
  add_library(fwcore_${name} STATIC ${srcs})
  if(EDGEAUTOML_OPT_KERNELS)
    target_compile_definitions(fwcore_${name} PUBLIC FW_OPT_KERNELS=1)
  endif()
  target_compile_options(fwcore_${name} PRIVATE ${cflags})
  target_compile_definitions(fwcore_${name} PUBLIC FW_ARENA_BYTES=${A_ARENA}u FW_INPUT_BYTES=${A_INPUT}u)
  add_executable(${name} ${A_SOURCES} ${PROJECT_SOURCE_DIR}/ports/cortexm/startup.c)
  target_compile_options(${name} PRIVATE ${cflags})
  target_link_libraries(${name} PRIVATE fwcore_${name})
  # newlib-nano gives memcpy/memset/strlen; nosys stubs the syscalls nothing calls.
  target_link_options(${name} PRIVATE ${A_CPU_FLAGS} -nostartfiles --specs=nano.specs --specs=nosys.specs
    -Wl,--gc-sections -Wl,-T,${A_LDSCRIPT} -Wl,-Map,${CMAKE_BINARY_DIR}/${name}.map)
  set_target_properties(${name} PROPERTIES SUFFIX .elf RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}
    LINK_DEPENDS ${A_LDSCRIPT})
  add_custom_command(TARGET ${name} POST_BUILD
    COMMAND ${CMAKE_OBJCOPY} -O binary $<TARGET_FILE:${name}> ${CMAKE_BINARY_DIR}/${name}.bin
    COMMAND ${CMAKE_SIZE} $<TARGET_FILE:${name}>
    VERBATIM)
endfunction()
