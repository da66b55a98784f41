/* The few Cortex-M4 DSP instructions the optimized kernels use, with a portable C emulation
 * that gives the same 32-bit results, so the host CTest checks the exact arithmetic the device
 * runs (only the instruction selection differs). SMLAD/SMLAxy wrap modulo 2^32 (they only set
 * the Q flag on overflow), which is the reference kernels' uint32 accumulation. */
#ifndef FW_OPT_DSP_H
#define FW_OPT_DSP_H
#include <stdint.h>
#include <string.h>

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
/* acc + lo(a)*lo(b) + hi(a)*hi(b), halves signed 16-bit */
static inline uint32_t dsp_smlad(uint32_t a, uint32_t b, uint32_t acc)
{
    return (uint32_t)__smlad((int16x2_t)a, (int16x2_t)b, (int32_t)acc);
}
static inline uint32_t dsp_smuad(uint32_t a, uint32_t b) { return (uint32_t)__smuad((int16x2_t)a, (int16x2_t)b); }
/* acc + half(a) * half(b): b = bottom (lo), t = top (hi) */
static inline uint32_t dsp_smlabb(uint32_t a, uint32_t b, uint32_t acc)
{
    return (uint32_t)__smlabb((int32_t)a, (int32_t)b, (int32_t)acc);
}
static inline uint32_t dsp_smlabt(uint32_t a, uint32_t b, uint32_t acc)
{
    return (uint32_t)__smlabt((int32_t)a, (int32_t)b, (int32_t)acc);
}
static inline uint32_t dsp_smlatb(uint32_t a, uint32_t b, uint32_t acc)
{
    return (uint32_t)__smlatb((int32_t)a, (int32_t)b, (int32_t)acc);
}
static inline uint32_t dsp_smlatt(uint32_t a, uint32_t b, uint32_t acc)
{
    return (uint32_t)__smlatt((int32_t)a, (int32_t)b, (int32_t)acc);
}
/* bytes 0 and 2, sign-extended to halfwords */
static inline uint32_t dsp_sxtb16(uint32_t x) { return (uint32_t)__sxtb16((int8x4_t)x); }
/* bytes 1 and 3: the rotate is free in the instruction's operand */
static inline uint32_t dsp_sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}
/* a + sxtb16(x), per halfword (wrapping) */
static inline uint32_t dsp_sxtab16(uint32_t a, uint32_t x)
{
    return (uint32_t)__sxtab16((int16x2_t)a, (int8x4_t)x);
}
static inline uint32_t dsp_sxtab16_ror8(uint32_t a, uint32_t x)
{
    uint32_t r;
    __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(a), "r"(x));
    return r;
}
/* (lo half of a, lo half of b) and (hi half of a, hi half of b) */
static inline uint32_t dsp_pkbb(uint32_t a, uint32_t b)
{
    uint32_t r;
    __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
static inline uint32_t dsp_pktt(uint32_t a, uint32_t b)
{
    uint32_t r;
    __asm__("pkhtb %0, %2, %1, asr #16" : "=r"(r) : "r"(a), "r"(b));
    return r;
}
/* four consecutive words, one LDMIA with writeback */
#define DSP_LDM4(p, a, b, c, d)                                                                 \
    do {                                                                                      \
        register uint32_t a_ __asm__("r4"), b_ __asm__("r5"), c_ __asm__("r6"), d_ __asm__("r7"); \
        __asm__("ldmia %0!, {%1, %2, %3, %4}" : "+r"(p), "=r"(a_), "=r"(b_), "=r"(c_), "=r"(d_) : "m"(*(const uint32_t(*)[4])p)); \
        (a) = a_, (b) = b_, (c) = c_, (d) = d_;                                              \
    } while (0)
/* signed saturation to [-128, 127] */
static inline int32_t dsp_ssat8(int32_t x) { return __ssat(x, 8); }
/* per byte: max(x, lo) then min(., hi), bytes signed */
static inline uint32_t dsp_clamp8x4(uint32_t x, uint32_t lo4, uint32_t hi4)
{
    (void)__ssub8((int8x4_t)x, (int8x4_t)lo4);
    x = (uint32_t)__sel((uint8x4_t)x, (uint8x4_t)lo4);
    (void)__ssub8((int8x4_t)hi4, (int8x4_t)x);
    return (uint32_t)__sel((uint8x4_t)x, (uint8x4_t)hi4);
}
/* bytes 0 and 2 zero-extended to halfwords */
static inline uint32_t dsp_uxtb16(uint32_t x) { return (uint32_t)__uxtb16((int8x4_t)x); }
/* 64-bit (hi:lo) + a*b, signed; returns the high word and updates *lo (one SMLAL) */
static inline int32_t dsp_smlal_hi(uint32_t *lo, int32_t hi, int32_t a, int32_t b)
{
    __asm__("smlal %0, %1, %2, %3" : "+r"(*lo), "+r"(hi) : "r"(a), "r"(b));
    return hi;
}
#else
static inline int32_t dsp_lo(uint32_t a) { return (int16_t)(uint16_t)(a & 0xFFFFu); }
static inline int32_t dsp_hi(uint32_t a) { return (int16_t)(uint16_t)(a >> 16); }
static inline uint32_t dsp_smlad(uint32_t a, uint32_t b, uint32_t acc)
{
    return acc + (uint32_t)(dsp_lo(a) * dsp_lo(b)) + (uint32_t)(dsp_hi(a) * dsp_hi(b));
}
static inline uint32_t dsp_smuad(uint32_t a, uint32_t b) { return dsp_smlad(a, b, 0); }
static inline uint32_t dsp_smlabb(uint32_t a, uint32_t b, uint32_t acc) { return acc + (uint32_t)(dsp_lo(a) * dsp_lo(b)); }
static inline uint32_t dsp_smlabt(uint32_t a, uint32_t b, uint32_t acc) { return acc + (uint32_t)(dsp_lo(a) * dsp_hi(b)); }
static inline uint32_t dsp_smlatb(uint32_t a, uint32_t b, uint32_t acc) { return acc + (uint32_t)(dsp_hi(a) * dsp_lo(b)); }
static inline uint32_t dsp_smlatt(uint32_t a, uint32_t b, uint32_t acc) { return acc + (uint32_t)(dsp_hi(a) * dsp_hi(b)); }
static inline uint32_t dsp_sxtb16(uint32_t x)
{
    uint32_t lo = (uint32_t)(int32_t)(int8_t)(uint8_t)(x & 0xFFu) & 0xFFFFu;
    uint32_t hi = (uint32_t)(int32_t)(int8_t)(uint8_t)((x >> 16) & 0xFFu) & 0xFFFFu;
    return lo | (hi << 16);
}
static inline uint32_t dsp_sxtb16_ror8(uint32_t x) { return dsp_sxtb16(x >> 8); }
static inline uint32_t dsp_add16(uint32_t a, uint32_t b)
{
    return ((a + b) & 0xFFFFu) | (((a >> 16) + (b >> 16)) << 16);
}
static inline uint32_t dsp_sxtab16(uint32_t a, uint32_t x) { return dsp_add16(a, dsp_sxtb16(x)); }
static inline uint32_t dsp_sxtab16_ror8(uint32_t a, uint32_t x) { return dsp_add16(a, dsp_sxtb16_ror8(x)); }
static inline int32_t dsp_ssat8(int32_t x) { return x < -128 ? -128 : (x > 127 ? 127 : x); }
static inline uint32_t dsp_clamp8x4(uint32_t x, uint32_t lo4, uint32_t hi4)
{
    uint32_t r = 0;
    for (unsigned i = 0; i < 32; i += 8) {
        int32_t v = (int8_t)(uint8_t)(x >> i), lo = (int8_t)(uint8_t)(lo4 >> i), hi = (int8_t)(uint8_t)(hi4 >> i);
        v = v < lo ? lo : v;
        v = v > hi ? hi : v;
        r |= ((uint32_t)v & 0xFFu) << i;
    }
    return r;
}
static inline uint32_t dsp_uxtb16(uint32_t x) { return x & 0x00FF00FFu; }
static inline uint32_t dsp_pkbb(uint32_t a, uint32_t b) { return (a & 0xFFFFu) | (b << 16); }
static inline uint32_t dsp_pktt(uint32_t a, uint32_t b) { return (a >> 16) | (b & 0xFFFF0000u); }
#define DSP_LDM4(p, a, b, c, d) ((a) = (p)[0], (b) = (p)[1], (c) = (p)[2], (d) = (p)[3], (p) += 4)
static inline int32_t dsp_smlal_hi(uint32_t *lo, int32_t hi, int32_t a, int32_t b)
{
    uint64_t t = ((uint64_t)(uint32_t)hi << 32 | *lo) + (uint64_t)((int64_t)a * b);
    *lo = (uint32_t)t;
    return (int32_t)(uint32_t)(t >> 32);
}
#endif

/* Two int16 values packed as SMLAD reads them. */
static inline uint32_t dsp_pack(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* Unaligned little-endian word: one LDR on Cortex-M4 (unaligned access is allowed there);
 * memcpy keeps it defined C on every target. */
static inline uint32_t dsp_ld32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
static inline void dsp_st32(void *p, uint32_t v) { memcpy(p, &v, 4); }
#endif
