# -DEDGEAUTOML_MODEL_C=/path/<model>.c (the C source `edgeautoml export` writes, with <model>.h
# next to it): links that model into a firmware image as a const blob (in flash on a board), so
# the image boots with it loaded. fw_embed_model(target) does nothing when the option is empty.
set(EDGEAUTOML_MODEL_C "" CACHE FILEPATH "exported model C source to link into the firmware (edgeautoml export)")

function(fw_embed_model target)
  if(NOT EDGEAUTOML_MODEL_C)
    return()
  endif()
  if(NOT EXISTS "${EDGEAUTOML_MODEL_C}")
    message(FATAL_ERROR "EDGEAUTOML_MODEL_C=${EDGEAUTOML_MODEL_C}: no such file (run edgeautoml export --out DIR first)")
  endif()
  get_filename_component(_dir "${EDGEAUTOML_MODEL_C}" DIRECTORY)
  get_filename_component(_id "${EDGEAUTOML_MODEL_C}" NAME_WE)
  if(NOT EXISTS "${_dir}/${_id}.h")
    message(FATAL_ERROR "EDGEAUTOML_MODEL_C=${EDGEAUTOML_MODEL_C}: its header ${_dir}/${_id}.h is missing")
  endif()
  target_sources(${target} PRIVATE "${EDGEAUTOML_MODEL_C}" "${PROJECT_SOURCE_DIR}/ports/common/embedded_model.c")
  target_include_directories(${target} PRIVATE "${_dir}" "${PROJECT_SOURCE_DIR}/ports/common")
  target_compile_definitions(${target} PRIVATE EDGEAUTOML_EMBEDDED_MODEL=1
    EDGEAUTOML_EMBEDDED_MODEL_HEADER="${_id}.h" EDGEAUTOML_EMBEDDED_MODEL_BLOB=${_id}_blob)
  message(STATUS "${target}: model ${_id} linked in from ${EDGEAUTOML_MODEL_C}")
endfunction()
