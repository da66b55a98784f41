/* Names the exported blob for the ports: the exporter calls it <model>_blob, the ports want one
 * fixed name. EDGEAUTOML_EMBEDDED_MODEL_HEADER / _BLOB come from embedded_model.cmake. */
#include "embedded_model.h"
#include EDGEAUTOML_EMBEDDED_MODEL_HEADER

const uint8_t *const fw_embedded_model = EDGEAUTOML_EMBEDDED_MODEL_BLOB;
const uint32_t fw_embedded_model_bytes = (uint32_t)sizeof EDGEAUTOML_EMBEDDED_MODEL_BLOB;
