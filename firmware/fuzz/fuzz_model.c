/* libFuzzer harness: a blob → model_load (every MODEL_FORMAT.md rule) → when accepted, one
 * inference on a zero input. A blob the loader accepts must run without touching memory
 * outside the blob and the arena (ASan/UBSan abort otherwise). */
#include <stdint.h>
#include <string.h>
#include "model.h"
#include "runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20)) return 0;
    model_t m;
    model_error_t err;
    if (!model_load(&m, data, (uint32_t)size, FW_ARENA_BYTES, &err)) return 0;
    memset(model_arena(), 0, m.arena_bytes);
    runtime_invoke(&m);
    return 0;
}
