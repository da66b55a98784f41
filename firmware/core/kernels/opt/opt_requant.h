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
    int32_t left, right; /* max(shift, 0), max(-shift, 0) */
    uint32_t mask;       /* 2^right - 1 */
} opt_chan_t;

/* q_srdhm for b >= 0 (the loader guarantees mult >= 0, so a == b == INT32_MIN cannot occur):
 * the truncating division by 2^31 is the arithmetic shift (a floor) plus one when the sum is
 * negative with a non-zero remainder. */
static inline int32_t opt_srdhm(int32_t a, int32_t b)
{
    int64_t ab = (int64_t)a * b;
    int64_t t = ab + (ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30)));
    int32_t q = (int32_t)(t >> 31);
    return q + ((t < 0 && ((uint32_t)t & 0x7FFFFFFFu) != 0) ? 1 : 0);
}

static inline opt_chan_t opt_chan(const uint8_t *data, int32_t bias_off, int32_t mult_off, int32_t shift_off,
                                  uint32_t ch)
{
    opt_chan_t q;
    memcpy(&q.bias, data + (uint32_t)bias_off + 4u * ch, 4);
    memcpy(&q.mult, data + (uint32_t)mult_off + 4u * ch, 4);
    memcpy(&q.shift, data + (uint32_t)shift_off + 4u * ch, 4);
    q.left = q.shift > 0 ? q.shift : 0;
    q.right = q.shift > 0 ? 0 : -q.shift;
    q.mask = (uint32_t)((1ull << q.right) - 1u);
    return q;
}

static inline int8_t opt_requant(uint32_t acc, const opt_chan_t *q, int32_t zp_out, int32_t lo, int32_t hi)
{
    int32_t a = (int32_t)(acc + (uint32_t)q->bias); /* wraps as the reference's int32 sum */
    int32_t x = opt_srdhm((int32_t)((uint32_t)a << q->left), q->mult);
    uint32_t rem = (uint32_t)x & q->mask, threshold = (q->mask >> 1) + (x < 0 ? 1u : 0u);
    int32_t v = zp_out + (x >> q->right) + (rem > threshold ? 1 : 0);
    return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}
#endif
