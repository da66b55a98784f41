/* Bit-packed weights: b-bit two's complement, little-endian bit order, each output channel's
 * row starting on a byte boundary (MODEL_FORMAT.md). Shared by fully_connected and conv2d. */
#ifndef FW_WEIGHTS_H
#define FW_WEIGHTS_H
#include <stdint.h>

static inline uint64_t w_row_bytes(uint64_t k, unsigned bits) { return (k * bits + 7) / 8; }

/* Value k of a row. Reads only bytes that hold its bits, so never past the row's end. */
static inline int32_t w_get(const uint8_t *row, uint32_t k, unsigned bits)
{
    uint32_t bit = k * bits;
    uint32_t byte = bit / 8, sh = bit % 8;
    uint32_t v = (uint32_t)row[byte] >> sh;
    if (sh + bits > 8) v |= (uint32_t)row[byte + 1] << (8 - sh);
    v &= (1u << bits) - 1u;
    /* sign-extend from bit (bits-1) */
    return (int32_t)(v ^ (1u << (bits - 1))) - (int32_t)(1u << (bits - 1));
}
#endif
