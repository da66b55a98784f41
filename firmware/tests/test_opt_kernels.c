/* The optimized Cortex-M4 kernels (core/kernels/opt, here with the portable SMLAD/SXTB16
 * emulation) against the reference kernels on random layers, blob formats 1 and 2: outputs
 * must match byte for byte.
 * bench/ipm_main.c runs the same comparison on the device instructions under QEMU. */
#include <stdio.h>
#include "check.h"
#include "bench_layers.h"
#include "bench_compare.h"
#include "quant.h"
#include "kernels/opt/opt_requant.h"

/* The reference kernels' requantization of one accumulator, format 1 (q_mbqm) or 2 (q_mbqm1):
 * zp_out added in wrapping int32 as the host engine's unchecked int does, then the clamp. */
static int8_t want_rq(uint32_t acc, int32_t bias, int32_t mult, int32_t shift, int32_t zp, int32_t lo, int32_t hi,
                      bool single)
{
    int32_t a = (int32_t)(acc + (uint32_t)bias);
    int32_t r = single ? q_mbqm1(a, mult, shift) : q_mbqm(a, mult, shift);
    return (int8_t)q_clamp((int32_t)((uint32_t)zp + (uint32_t)r), lo, hi);
}

/* opt_requant and opt_requant4 against the reference on one (acc[4], channel); returns mismatches */
static int rq_one(const uint32_t acc[4], int32_t bias, int32_t mult, int32_t shift, int32_t zp, int32_t lo, int32_t hi,
                  bool single)
{
    uint8_t data[12];
    memcpy(data, &bias, 4), memcpy(data + 4, &mult, 4), memcpy(data + 8, &shift, 4);
    opt_chan_t q = opt_chan(data, 0, 4, 8, 0, single);
    int8_t got4[4];
    uint32_t w4 = opt_requant4(acc, &q, zp, opt_bytes4(lo), opt_bytes4(hi));
    memcpy(got4, &w4, 4);
    int bad = 0;
    for (int j = 0; j < 4; j++) {
        int8_t want = want_rq(acc[j], bias, mult, shift, zp, lo, hi, single);
        int8_t got = opt_requant(acc[j], &q, zp, lo, hi);
        if (got != want || got4[j] != want) {
            if (bad == 0)
                fprintf(stderr, "format %d requant acc=%u bias=%d mult=%d shift=%d zp=%d [%d,%d]: %d / %d, want %d\n",
                        single ? 2 : 1, acc[j], bias, mult, shift, zp, lo, hi, got, got4[j], want);
            bad++;
        }
    }
    return bad;
}

/* opt_requant / opt_requant4 against quant.h on the requantizer's whole domain, both formats:
 * first every shift in -31..30 x extreme multipliers x extreme accumulators (each form's
 * saturation and wrap edges), then random and extreme values. */
static void check_requant(uint32_t *rng)
{
    static const uint32_t accs[] = {0, 1, 0xFFFFFFFFu, 0x7FFFFFFFu, 0x80000000u, 0x40000000u, 0xC0000000u,
                                    0x80000001u, 0x7FFFFFFEu, 0x3FFFFFFFu, 0xC0000001u, 2, 0xFFFFFFFEu, 0x10000u};
    static const int32_t mults[] = {0, 1, 2, 1 << 30, (1 << 30) + 1, 0x7FFFFFFE, 0x7FFFFFFF};
    static const int32_t zps[] = {-128, -1, 0, 1, 127};
    int bad = 0, fixed = 0;
    for (int single = 0; single < 2; single++)
        for (int32_t shift = -31; shift <= 30; shift++)
            for (unsigned mi = 0; mi < sizeof mults / sizeof mults[0]; mi++)
                for (unsigned zi = 0; zi < sizeof zps / sizeof zps[0]; zi++)
                    for (unsigned ai = 0; ai < sizeof accs / sizeof accs[0]; ai += 4) {
                        uint32_t acc[4];
                        for (unsigned j = 0; j < 4; j++) acc[j] = accs[(ai + j) % (sizeof accs / sizeof accs[0])];
                        bad += rq_one(acc, 0, mults[mi], shift, zps[zi], -128, 127, single);
                        bad += rq_one(acc, INT32_MIN, mults[mi], shift, zps[zi], zps[zi], 127, single);
                        fixed += 8;
                    }
    CHECK(fixed > 50000);
    for (int i = 0; i < 400000; i++) {
        uint32_t r = bl_rand(rng);
        bool single = (r >> 20) & 1u;
        int32_t shift = (int32_t)(bl_rand(rng) % 62u) - 31;
        int32_t mult = (r & 7u) < 4 ? mults[(r >> 12) % 7u] : (int32_t)(bl_rand(rng) >> 1);
        int32_t bias = (r & 0x30u) ? (int32_t)(bl_rand(rng) % 8192u) - 4096 : (int32_t)bl_rand(rng);
        int32_t zp = (int32_t)(bl_rand(rng) % 256u) - 128;
        int32_t lo = (r & 0x100u) ? zp : -128, hi = (r & 0x200u) ? 127 : (int32_t)(bl_rand(rng) % 128u);
        if (lo > hi) lo = hi;
        uint32_t acc[4];
        for (int j = 0; j < 4; j++) {
            uint32_t a = bl_rand(rng);
            acc[j] = (r & 0xC00u) == 0 ? accs[a % 14u] : (r & 0xC00u) == 0x400u ? a % 65536u - 32768u : a;
        }
        bad += rq_one(acc, bias, mult, shift, zp, lo, hi, single);
    }
    CHECK_EQ(bad, 0);
}

/* The reference kernels add zp_out to the requantized value in wrapping int32, as the host's
 * engine does (unchecked(zout + Requantize(...)) in Conv2DKernel.cs / FullyConnectedKernel.cs):
 * with x - zp = 0 everywhere the accumulator is the bias, INT32_MIN or INT32_MAX, and
 * mult = 2^31 - 1 takes the requantized value to about +-2^31, so zp_out + it leaves int32
 * (signed overflow UB in C; UBSan stops this test if it comes back). Expected outputs worked
 * out by hand:
 *  - bias INT32_MIN, shift 0: q_mbqm = q_mbqm1 = -2^31 + 1; + zp_out -20 wraps to 2^31 - 19: 127.
 *  - bias INT32_MIN, shift 30: format 1 wraps the left shift to 0 (0 + -20: -20); format 2
 *    saturates to INT32_MIN, + -20 wraps to 2^31 - 20: 127.
 *  - bias INT32_MAX, shift 30, zp_out +20: format 1 (INT32_MAX << 30 wraps to -2^30,
 *    q_mbqm = -2^30 + 1: -128); format 2 saturates to INT32_MAX, + 20 wraps negative: -128.
 * The optimized kernels must give the same bytes. */
static void check_zp_wrap(uint32_t *rng)
{
    static const struct { int32_t bias, shift, zp_out; int8_t want1, want2; } cases[] = {
        {INT32_MIN, 0, -20, 127, 127}, {INT32_MIN, 30, -20, -20, 127}, {INT32_MAX, 30, 20, -128, -128}};
    static const bl_spec_t specs[] = {
        {true, 37, 1, 1, 5, 0, 0, 0, 0, 0, 0, 8},     /* fc */
        {false, 6, 5, 7, 4, 3, 3, 1, 1, 1, 1, 4},     /* conv 3x3, padded */
        {false, 8, 6, 6, 8, 1, 1, 1, 0, 1, 1, 2},     /* pointwise */
        {false, 3, 9, 9, 3, 3, 3, 2, 1, 1, 3, 5},     /* depthwise 3x3 s2 */
        {false, 4, 8, 8, 4, 5, 5, 1, 2, 1, 4, 8},     /* depthwise 5x5 */
    };
    for (unsigned si = 0; si < sizeof specs / sizeof specs[0]; si++)
        for (unsigned ci = 0; ci < sizeof cases / sizeof cases[0]; ci++)
            for (int single = 0; single < 2; single++) {
                bl_layer_t L;
                CHECK(bl_make(&L, &specs[si], rng));
                const int32_t *p = L.ctx.p;
                int fc = specs[si].fc;
                int32_t m = specs[si].M, ib = fc ? 6 : 13;
                uint8_t *d = (uint8_t *)(uintptr_t)L.ctx.data;
                for (int32_t o = 0; o < m; o++) {
                    int32_t mult = 0x7FFFFFFF;
                    memcpy(d + p[ib] + 4 * o, &cases[ci].bias, 4);
                    memcpy(d + p[ib + 1] + 4 * o, &mult, 4);
                    memcpy(d + p[ib + 2] + 4 * o, &cases[ci].shift, 4);
                }
                memset((int8_t *)(uintptr_t)L.ctx.x, (int8_t)L.ctx.in.zero_point, L.ctx.in.count); /* x - zp = 0 */
                L.ctx.out.zero_point = (int16_t)cases[ci].zp_out;
                L.ctx.single_rounding = single;
                if (!fc) L.ctx.p[10] = -128; /* no fused ReLU */
                int8_t want = single ? cases[ci].want2 : cases[ci].want1;
                L.k->run(&L.ctx);
                int wrong = 0;
                for (uint32_t i = 0; i < L.out_bytes; i++) wrong += bl_out_a[i] != want;
                if (wrong) fprintf(stderr, "zp wrap spec %u case %u format %d: %d outputs != %d\n", si, ci, single + 1, wrong, want);
                CHECK_EQ(wrong, 0);
                CHECK_EQ(bl_compare(&L), 1);
            }
}

int main(void)
{
    uint32_t rng = 0x1234567u;
    check_requant(&rng);
    check_zp_wrap(&rng);
    int compared = 0, declined = 0, made = 0;
    int by_bits[2][9] = {{0}};
    for (int i = 0; i < 3000; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        made++;
        for (int single = 0; single < 2; single++) { /* blob format 1 and 2 */
            L.ctx.single_rounding = single;
            int r = bl_compare(&L);
            if (r < 0) { /* every bit width 2..8 has an unpacker and these rows are short: none may fall back */
                declined++;
                CHECK(r >= 0);
                continue;
            }
            compared++;
            by_bits[single][s.bits]++;
            if (!r) fprintf(stderr, "layer %d format %d: fc=%d C=%d H=%d W=%d M=%d k=%dx%d s=%d p=%d d=%d g=%d bits=%u differs\n", i,
                            single + 1, s.fc, s.C, s.H, s.W, s.M, s.kh, s.kw, s.stride, s.pad, s.dil, s.group, s.bits);
            CHECK(r == 1);
        }
    }
    /* depthwise: the padded-plane paths (3x3 s1/s2, bands, generic taps) and the fallback */
    int dw = 0;
    for (int i = 0; i < 600; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_dw3_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        for (int single = 0; single < 2; single++) {
            L.ctx.single_rounding = single;
            int r = bl_compare(&L);
            if (r != 1) fprintf(stderr, "dw3 layer %d format %d: C=%d H=%d W=%d M=%d p=%d bits=%u: %d\n", i, single + 1, s.C, s.H,
                                s.W, s.M, s.pad, s.bits, r);
            CHECK(r == 1);
            dw += r == 1;
        }
    }
    CHECK(dw > 1000);
    /* the sweep must really have exercised every optimized bit width */
    CHECK(made > 2000);
    for (unsigned b = 2; b <= 8; b++) CHECK(by_bits[0][b] > 100 && by_bits[1][b] > 100);
    printf("%d layers + %d depthwise compared, %d declined, %d checks, %d failures\n", compared, dw,
           declined, g_checks, g_failures);
    return g_failures != 0;
}
