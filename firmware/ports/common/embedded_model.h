/* A model linked into the image as a const blob (cmake -DEDGEAUTOML_MODEL_C=DIR/<model>.c, the C
 * source from `edgeautoml export`): the firmware boots with it loaded, nothing is sent over the
 * wire. Only declared in builds with EDGEAUTOML_EMBEDDED_MODEL defined. */
#ifndef EDGEAUTOML_EMBEDDED_MODEL_H
#define EDGEAUTOML_EMBEDDED_MODEL_H
#include <stdint.h>
#ifdef EDGEAUTOML_EMBEDDED_MODEL
extern const uint8_t *const fw_embedded_model;
extern const uint32_t fw_embedded_model_bytes;
#endif
#endif
