/* The model region in flash bank 2 behind hal_model_begin/write/commit. Chunks may come at any
 * offset and length, in any order, repeated: whole double words are programmed at once,
 * partial ones wait in a small table until all their bytes (up to the blob size) are known.
 * The last page of bank 2 holds the commit record, so a committed model survives a reset and
 * IDENTIFY reports its CRC: the host then skips re-sending the same blob. */
#ifndef FW_MODEL_STORE_H
#define FW_MODEL_STORE_H
#include <stdbool.h>
#include <stdint.h>

const uint8_t *model_store_region(void);
bool model_store_begin(uint32_t size);
bool model_store_write(uint32_t offset, const uint8_t *data, uint32_t n);
void model_store_commit(uint32_t size);
/* Size of the committed model found at boot, or 0. */
uint32_t model_store_restore(void);
#endif
