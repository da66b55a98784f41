/* The optimized Cortex-M4 kernels (core/kernels/opt, here with the portable SMLAD/SXTB16
 * emulation) against the reference kernels on random layers: outputs must match byte for byte.
 * bench/ipm_main.c runs the same comparison on the device instructions under QEMU. */
#include <stdio.h>
#include "check.h"
#include "bench_layers.h"
#include "bench_compare.h"
#include "quant.h"
#include "kernels/opt/opt_requant.h"

/* opt_requant / opt_requant4 against quant.h on the requantizer's whole domain: random and
 * extreme accumulators, every shift in -31..30, mult 0, 1, 2^30, 2^31 - 1 and random. */
static void check_requant(uint32_t *rng)
{
    static const uint32_t accs[] = {0, 1, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x40000000u, 0xC0000000u};
    static const int32_t mults[] = {0, 1, 1 << 30, 0x7FFFFFFF};
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        uint32_t r = bl_rand(rng);
        int32_t shift = (int32_t)(bl_rand(rng) % 62u) - 31;
        int32_t mult = (r & 7u) < 4 ? mults[r & 3u] : (int32_t)(bl_rand(rng) >> 1);
        int32_t bias = (r & 0x30u) ? (int32_t)(bl_rand(rng) % 8192u) - 4096 : (int32_t)bl_rand(rng);
        int32_t zp = (int32_t)(bl_rand(rng) % 256u) - 128;
        int32_t lo = (r & 0x100u) ? zp : -128, hi = (r & 0x200u) ? 127 : (int32_t)(bl_rand(rng) % 128u);
        if (lo > hi) lo = hi;
        uint8_t data[12];
        memcpy(data, &bias, 4), memcpy(data + 4, &mult, 4), memcpy(data + 8, &shift, 4);
        opt_chan_t q = opt_chan(data, 0, 4, 8, 0);
        uint32_t acc[4];
        for (int j = 0; j < 4; j++) {
            uint32_t a = bl_rand(rng);
            acc[j] = (r & 0xC00u) == 0 ? accs[a % 7u] : (r & 0xC00u) == 0x400u ? a % 65536u - 32768u : a;
        }
        int8_t want[4], got4[4];
        uint32_t w4 = opt_requant4(acc, &q, zp, opt_bytes4(lo), opt_bytes4(hi));
        memcpy(got4, &w4, 4);
        for (int j = 0; j < 4; j++) {
            int32_t v = (int32_t)((uint32_t)zp + (uint32_t)q_mbqm((int32_t)(acc[j] + (uint32_t)bias), mult, shift));
            want[j] = (int8_t)q_clamp(v, lo, hi);
            int8_t got = opt_requant(acc[j], &q, zp, lo, hi);
            if ((got != want[j] || got4[j] != want[j]) && bad++ < 5)
                fprintf(stderr, "requant acc=%u bias=%d mult=%d shift=%d zp=%d [%d,%d]: %d / %d, want %d\n", acc[j],
                        bias, mult, shift, zp, lo, hi, got, got4[j], want[j]);
        }
    }
    CHECK_EQ(bad, 0);
}

int main(void)
{
    uint32_t rng = 0x1234567u;
    check_requant(&rng);
    int compared = 0, declined = 0, made = 0;
    int by_bits[9] = {0};
    for (int i = 0; i < 3000; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        made++;
        int r = bl_compare(&L);
        if (r < 0) { /* every bit width 2..8 has an unpacker and these rows are short: none may fall back */
            declined++;
            CHECK(r >= 0);
            continue;
        }
        compared++;
        by_bits[s.bits]++;
        if (!r) fprintf(stderr, "layer %d: fc=%d C=%d H=%d W=%d M=%d k=%dx%d s=%d p=%d d=%d g=%d bits=%u differs\n", i,
                        s.fc, s.C, s.H, s.W, s.M, s.kh, s.kw, s.stride, s.pad, s.dil, s.group, s.bits);
        CHECK(r == 1);
    }
    /* depthwise: the padded-plane paths (3x3 s1/s2, bands, generic taps) and the fallback */
    int dw = 0;
    for (int i = 0; i < 600; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_dw3_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        int r = bl_compare(&L);
        if (r != 1) fprintf(stderr, "dw3 layer %d: C=%d H=%d W=%d M=%d p=%d bits=%u: %d\n", i, s.C, s.H, s.W, s.M, s.pad, s.bits, r);
        CHECK(r == 1);
        dw += r == 1;
    }
    CHECK(dw > 500);
    /* the sweep must really have exercised every optimized bit width */
    CHECK(made > 2000);
    for (unsigned b = 2; b <= 8; b++) CHECK(by_bits[b] > 100);
    printf("%d layers + %d depthwise compared, %d declined, %d checks, %d failures\n", compared, dw,
           declined, g_checks, g_failures);
    return g_failures != 0;
}
