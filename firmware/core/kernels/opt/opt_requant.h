/* Requantisation for the optimized kernels: the same result as quant.h's q_mbqm + q_clamp,
 * cheaper. Per-channel params are read with plain word loads (the loader checked 4-byte
 * alignment from data start; memcpy keeps an unaligned start defined), and the rounding divide
 * runs in 32 bits: for 0 <= e <= 31 the low e bits and the mask fit in uint32, so
 * (x & mask) and the threshold equal the int64 ones in quant.h. */
#ifndef FW_OPT_REQUANT_H
#define FW_OPT_REQUANT_H
#include <stdint.h>
#include <string.h>
#include "../../quant.h"

typedef struct {
    int32_t bias, mult, shift;
} opt_chan_t;

static inline opt_chan_t opt_chan(const uint8_t *data, int32_t bias_off, int32_t mult_off, int32_t shift_off,
                                  uint32_t ch)
{
    opt_chan_t q;
    memcpy(&q.bias, data + (uint32_t)bias_off + 4u * ch, 4);
    memcpy(&q.mult, data + (uint32_t)mult_off + 4u * ch, 4);
    memcpy(&q.shift, data + (uint32_t)shift_off + 4u * ch, 4);
    return q;
}

static inline int8_t opt_requant(uint32_t acc, const opt_chan_t *q, int32_t zp_out, int32_t lo, int32_t hi)
{
    int32_t a = (int32_t)(acc + (uint32_t)q->bias); /* wraps as the reference's int32 sum */
    int left = q->shift > 0 ? (int)q->shift : 0, e = q->shift > 0 ? 0 : (int)-q->shift;
    int32_t x = q_srdhm((int32_t)((uint32_t)a << left), q->mult);
    uint32_t mask = (uint32_t)((1ull << e) - 1u);
    uint32_t rem = (uint32_t)x & mask, threshold = (mask >> 1) + (x < 0 ? 1u : 0u);
    int32_t v = zp_out + (x >> e) + (rem > threshold ? 1 : 0);
    return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}
#endif
