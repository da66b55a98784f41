/* Fixed-point requantisation exactly as MODEL_FORMAT.md (TFLite / gemmlowp). The host's
 * integer engine implements the same three functions; any change breaks bit-exactness. */
#ifndef FW_QUANT_H
#define FW_QUANT_H
#include <stdint.h>

/* Saturating rounding doubling high multiply. */
static inline int32_t q_srdhm(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    int64_t ab = (int64_t)a * (int64_t)b;
    int64_t nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31)); /* C division truncates toward 0 */
}

/* Rounding divide by 2^e (0 <= e <= 31), half away from zero. */
static inline int32_t q_rdpot(int32_t x, int e)
{
    int64_t mask = ((int64_t)1 << e) - 1;
    int64_t rem = (int64_t)x & mask;
    int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    /* >> of a negative int64 is arithmetic on every compiler we target (gcc documents it) */
    return (int32_t)(((int64_t)x >> e) + (rem > threshold ? 1 : 0));
}

/* x * mult * 2^(shift-31). The left shift wraps in 32 bits (two's complement) as the host's
 * unchecked int arithmetic does; done in uint32 to avoid C's signed-overflow UB. */
static inline int32_t q_mbqm(int32_t x, int32_t mult, int32_t shift)
{
    int left = shift > 0 ? (int)shift : 0;
    int right = shift > 0 ? 0 : (int)-shift;
    int32_t xs = (int32_t)((uint32_t)x << left);
    return q_rdpot(q_srdhm(xs, mult), right);
}

/* x * M rounded once (format 2): ((int64)x * mult + 2^(t-1)) >> t, t = 31 - shift (1..62),
 * saturated to int32. |x * mult| < 2^62, so nothing overflows. */
static inline int32_t q_mbqm1(int32_t x, int32_t mult, int32_t shift)
{
    int t = 31 - (int)shift;
    int64_t r = ((int64_t)x * (int64_t)mult + ((int64_t)1 << (t - 1))) >> t;
    return r < INT32_MIN ? INT32_MIN : (r > INT32_MAX ? INT32_MAX : (int32_t)r);
}

/* x * M for an int64 accumulator (int16 activations), rounding once: the Q31 multiplier is
 * reduced to Q15, then (x*m15 + 2^(t-1)) >> t with t = 15 - shift (shift in -31..14, checked at
 * load), saturated to int32. Products wrap in uint64 as the host's unchecked long does. */
static inline int32_t q_mbqm64(int64_t x, int32_t mult, int32_t shift)
{
    int64_t m15 = mult >= 0x7FFF0000 ? 0x7FFF : (((int64_t)mult + (1 << 15)) >> 16);
    int t = 15 - (int)shift;
    int64_t r = (int64_t)((uint64_t)x * (uint64_t)m15 + ((uint64_t)1 << (t - 1)));
    r >>= t; /* arithmetic on every compiler we target */
    return r < INT32_MIN ? INT32_MIN : (r > INT32_MAX ? INT32_MAX : (int32_t)r);
}

static inline int32_t q_clamp(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}
#endif
