/* The few Cortex-M4 DSP instructions the optimized kernels use, with a portable C emulation
 * that gives the same 32-bit results, so the host CTest checks the exact arithmetic the device
 * runs (only the instruction selection differs). SMLAD wraps modulo 2^32 (it only sets the Q
 * flag on overflow), which is the reference kernels' uint32 accumulation. */
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
/* bytes 0 and 2, sign-extended to halfwords */
static inline uint32_t dsp_sxtb16(uint32_t x) { return (uint32_t)__sxtb16((int8x4_t)x); }
/* bytes 1 and 3: the rotate is free in the instruction's operand */
static inline uint32_t dsp_sxtb16_ror8(uint32_t x)
{
    uint32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}
#else
static inline int32_t dsp_lo(uint32_t a) { return (int16_t)(uint16_t)(a & 0xFFFFu); }
static inline int32_t dsp_hi(uint32_t a) { return (int16_t)(uint16_t)(a >> 16); }
static inline uint32_t dsp_smlad(uint32_t a, uint32_t b, uint32_t acc)
{
    return acc + (uint32_t)(dsp_lo(a) * dsp_lo(b)) + (uint32_t)(dsp_hi(a) * dsp_hi(b));
}
static inline uint32_t dsp_sxtb16(uint32_t x)
{
    uint32_t lo = (uint32_t)(int32_t)(int8_t)(uint8_t)(x & 0xFFu) & 0xFFFFu;
    uint32_t hi = (uint32_t)(int32_t)(int8_t)(uint8_t)((x >> 16) & 0xFFu) & 0xFFFFu;
    return lo | (hi << 16);
}
static inline uint32_t dsp_sxtb16_ror8(uint32_t x) { return dsp_sxtb16(x >> 8); }
#endif

/* Two int16 values packed as SMLAD reads them. */
static inline uint32_t dsp_pack(int32_t lo, int32_t hi)
{
    return ((uint32_t)lo & 0xFFFFu) | ((uint32_t)hi << 16);
}

/* Unaligned little-endian word: one LDR on Cortex-M4 (unaligned access is allowed there);
 * memcpy keeps it defined C on every target. */
static inline uint32_t dsp_ld32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}
#endif
