/* Requantisation for the optimized kernels: the same result as quant.h's q_mbqm + q_clamp,
 * in about eight instructions. Why it is exact (mult >= 0 is guaranteed by the loader, so the
 * saturating case of q_srdhm cannot occur):
 *  - q_srdhm(a, m) = floor((a*m + 2^30) / 2^31): for a*m < 0 the nudge 1 - 2^30 followed by a
 *    division truncating toward zero is ceil((a*m + 1 - 2^30) / 2^31), the same floor.
 *  - q_rdpot(x, e) for e >= 1 is floor((x + 2^(e-1) - [x < 0]) / 2^e), and the two floors
 *    nest: the result is floor((a*m + 2^30 + 2^(30+e) - [x < 0] * 2^31) / 2^(31+e)), one SMLAL
 *    into a 64-bit constant whose high word, shifted right by e-1, is the answer. [x < 0] may
 *    be replaced by [a < 0]: they differ only when x == 0, where either constant gives 0.
 *  - e == 0 (shift >= 0): x itself, bits 31..62 of a*m + 2^30, after the wrapping left shift.
 * zp_out is added in wrapping int32 arithmetic as the reference does, then SSAT to int8 and a
 * byte-wise clamp to [act_min, act_max] (both inside int8) give q_clamp's result.
 *
 * Format 2 (q_mbqm1, one rounding: (a*m + 2^(t-1)) >> t, t = 31 - shift, saturated):
 *  - t >= 32 (shift <= -1, right >= 1): one SMLAL into the constant 2^(t-1) = 2^(30+right),
 *    then the high word >> (t-32) = right-1 is floor(.) exactly; |a*m| < 2^62 keeps it in int32,
 *    so no saturation. Format 1's constant without its 2^30 and sign terms: two fewer steps.
 *  - t <= 31 (shift >= 0): the SMLAL's 64-bit value >> t from both words; it fits int32 iff
 *    its bits 63..31+t are all equal, i.e. iff the high word >> (t-1) equals the result's sign
 *    (bit 31+t); otherwise it saturates. Then zp_out wraps in as above. */
#ifndef FW_OPT_REQUANT_H
#define FW_OPT_REQUANT_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "dsp.h"

/* Which requantizer a channel runs: format 1 or 2, right shift (shift < 0) or not. */
enum { OPT_RQ1_R, OPT_RQ1_L, OPT_RQ2_R, OPT_RQ2_L };

typedef struct {
    int32_t bias, mult;
    int32_t left;  /* max(shift, 0) */
    int32_t right; /* max(-shift, 0) */
    uint32_t klo;  /* rounding constant, low word: format 1 2^30 + 2^(30+right) (right >= 1) or
                    * 2^30; format 2 2^(30-shift) */
    int32_t khi;   /* its high word */
    int32_t mode;  /* OPT_RQ* */
} opt_chan_t;

static inline opt_chan_t opt_chan(const uint8_t *data, int32_t bias_off, int32_t mult_off, int32_t shift_off,
                                  uint32_t ch, bool single)
{
    opt_chan_t q;
    int32_t shift;
    memcpy(&q.bias, data + (uint32_t)bias_off + 4u * ch, 4);
    memcpy(&q.mult, data + (uint32_t)mult_off + 4u * ch, 4);
    memcpy(&shift, data + (uint32_t)shift_off + 4u * ch, 4);
    q.left = shift > 0 ? shift : 0;
    q.right = shift > 0 ? 0 : -shift;
    /* 2^30 + 2^(30+right) as two words, without a 64-bit shift */
    q.klo = q.right == 1 ? 0xC0000000u : 0x40000000u;
    q.khi = q.right >= 2 ? (int32_t)(1u << (q.right - 2)) : 0;
    q.mode = q.right ? OPT_RQ1_R : OPT_RQ1_L;
    if (single) { /* 2^(t-1) = 2^(30-shift), t-1 in 0..61 */
        int32_t e = 30 - shift;
        q.klo = e < 32 ? 1u << e : 0u;
        q.khi = e >= 32 ? (int32_t)(1u << (e - 32)) : 0;
        q.mode = q.right ? OPT_RQ2_R : OPT_RQ2_L;
    }
    return q;
}

/* zp_out + q_mbqm(acc + bias), wrapping, for right >= 1 */
__attribute__((always_inline)) static inline int32_t opt_rq_r(uint32_t acc, const opt_chan_t *q, int32_t zp_out)
{
    int32_t a = (int32_t)(acc + (uint32_t)q->bias);
    uint32_t s = (uint32_t)(a >> 31); /* 0 or all ones: adds -2^31 to the constant */
    uint32_t lo = q->klo + (s << 31);
    int32_t hi = (int32_t)((uint32_t)q->khi + s + (lo < q->klo ? 1u : 0u));
    hi = dsp_smlal_hi(&lo, hi, a, q->mult);
    return (int32_t)((uint32_t)zp_out + (uint32_t)(hi >> (q->right - 1)));
}

/* the same for right == 0 */
__attribute__((always_inline)) static inline int32_t opt_rq_l(uint32_t acc, const opt_chan_t *q, int32_t zp_out)
{
    int32_t a = (int32_t)((acc + (uint32_t)q->bias) << q->left);
    uint32_t lo = 1u << 30;
    int32_t hi = dsp_smlal_hi(&lo, 0, a, q->mult);
    return (int32_t)((uint32_t)zp_out + (((uint32_t)hi << 1) | (lo >> 31)));
}

/* format 2, zp_out + q_mbqm1(acc + bias), wrapping, for shift <= -1 (t = 31 + right >= 32) */
__attribute__((always_inline)) static inline int32_t opt_rq2_r(uint32_t acc, const opt_chan_t *q, int32_t zp_out)
{
    uint32_t lo = q->klo;
    int32_t hi = dsp_smlal_hi(&lo, q->khi, (int32_t)(acc + (uint32_t)q->bias), q->mult);
    return (int32_t)((uint32_t)zp_out + (uint32_t)(hi >> (q->right - 1)));
}

/* the same for shift >= 0 (t = 31 - left in 1..31), saturating as q_mbqm1 does */
__attribute__((always_inline)) static inline int32_t opt_rq2_l(uint32_t acc, const opt_chan_t *q, int32_t zp_out)
{
    uint32_t lo = q->klo;
    int32_t hi = dsp_smlal_hi(&lo, 0, (int32_t)(acc + (uint32_t)q->bias), q->mult);
    int32_t r = (int32_t)(((uint32_t)hi << (q->left + 1)) | (lo >> (31 - q->left)));
    int32_t top = hi >> (30 - q->left); /* bits 63..31+t of the sum: r's sign unless it overflowed */
    if (top != r >> 31) r = (int32_t)((uint32_t)(top >> 31) ^ 0x7FFFFFFFu);
    return (int32_t)((uint32_t)zp_out + (uint32_t)r);
}

/* zp_out + requantized acc, wrapping, in the channel's mode */
__attribute__((always_inline)) static inline int32_t opt_rq(uint32_t acc, const opt_chan_t *q, int32_t zp_out)
{
    switch (q->mode) {
    case OPT_RQ1_R: return opt_rq_r(acc, q, zp_out);
    case OPT_RQ1_L: return opt_rq_l(acc, q, zp_out);
    case OPT_RQ2_R: return opt_rq2_r(acc, q, zp_out);
    default: return opt_rq2_l(acc, q, zp_out);
    }
}

__attribute__((always_inline)) static inline int8_t opt_requant(uint32_t acc, const opt_chan_t *q, int32_t zp_out, int32_t lo, int32_t hi)
{
    int32_t v = opt_rq(acc, q, zp_out);
    return (int8_t)(v < lo ? lo : (v > hi ? hi : v));
}

/* act_min / act_max repeated in the four bytes, for opt_pack4 */
__attribute__((always_inline)) static inline uint32_t opt_bytes4(int32_t v) { return ((uint32_t)v & 0xFFu) * 0x01010101u; }

/* four requantized int32 values -> four clamped int8 in one word (byte i = value i) */
__attribute__((always_inline)) static inline uint32_t opt_pack4(int32_t v0, int32_t v1, int32_t v2, int32_t v3, uint32_t lo4, uint32_t hi4)
{
    uint32_t t02 = dsp_pkbb((uint32_t)dsp_ssat8(v0), (uint32_t)dsp_ssat8(v2));
    uint32_t t13 = dsp_pkbb((uint32_t)dsp_ssat8(v1), (uint32_t)dsp_ssat8(v3));
    return dsp_clamp8x4(dsp_uxtb16(t02) | (dsp_uxtb16(t13) << 8), lo4, hi4);
}

/* acc[0..3] of one channel -> 4 bytes (see opt_pack4) */
__attribute__((always_inline)) static inline uint32_t opt_requant4(const uint32_t acc[4], const opt_chan_t *q, int32_t zp_out, uint32_t lo4,
                                    uint32_t hi4)
{
#define OPT_RQ4(F) opt_pack4(F(acc[0], q, zp_out), F(acc[1], q, zp_out), F(acc[2], q, zp_out), F(acc[3], q, zp_out), lo4, hi4)
    switch (q->mode) {
    case OPT_RQ1_R: return OPT_RQ4(opt_rq_r);
    case OPT_RQ1_L: return OPT_RQ4(opt_rq_l);
    case OPT_RQ2_R: return OPT_RQ4(opt_rq2_r);
    default: return OPT_RQ4(opt_rq2_l);
    }
#undef OPT_RQ4
}
#endif
