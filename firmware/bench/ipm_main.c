/* Kernel benchmark image for QEMU mps2-an386 (Cortex-M4) under `-icount shift=0`: one guest
 * instruction = 1 ns, SysTick counts the 25 MHz processor clock, so instructions = ticks * 40.
 * For each layer and weight width it runs the reference kernel and the optimized one
 * (core/kernels/opt) with blob format 1's and format 2's requantization, checks they agree
 * byte for byte, and prints instructions per MAC of all four side by side.
 * Before that it compares the two on random layers with the device's own DSP instructions.
 * Output goes through semihosting; exit status 0 = every comparison matched. */
#include <stdio.h>
#include <stdlib.h>
#include "bench_compare.h"
#include "bench_layers.h"
#include "../ports/cortexm/armv7m.h"

extern void initialise_monitor_handles(void);

#define INSNS_PER_TICK 40u

static uint32_t ticks_now(void) { return SYST_CVR; }

/* Instructions the call takes (SysTick counts down, 24 bits: fine below ~670M instructions). */
static uint32_t measure(bl_layer_t *L, bool opt)
{
    L->ctx.y = opt ? bl_out_b : bl_out_a;
    uint32_t t0 = ticks_now();
    if (!opt) L->k->run(&L->ctx);
    else if (L->k == &k_conv2d) (void)opt_conv2d_run(&L->ctx);
    else (void)opt_fully_connected_run(&L->ctx);
    uint32_t t1 = ticks_now();
    L->ctx.y = bl_out_a;
    return ((t0 - t1) & SYST_RELOAD_MAX) * INSNS_PER_TICK;
}

typedef struct {
    const char *name;
    bl_spec_t s;
    /* CMSIS-NN's figure (gcc 12 -O2) for 8- and 4-bit weights, x100; 0 = none */
    unsigned cmsis8, cmsis4;
} bench_t;

static void x100(char *buf, uint64_t v) { sprintf(buf, "%lu.%02lu", (unsigned long)(v / 100), (unsigned long)(v % 100)); }

int main(void)
{
    initialise_monitor_handles();
    SYST_CSR = 0;
    SYST_RVR = SYST_RELOAD_MAX;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
    int bad = 0;

    uint32_t rng = 0xC0FFEEu;
    int compared = 0;
    for (int i = 0; i < 400; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        for (int single = 0; single < 2; single++) { /* blob format 1 and 2 */
            L.ctx.single_rounding = single;
            int r = bl_compare(&L);
            if (r != 1) {
                printf("MISMATCH random layer %d format %d: fc=%d C=%ld M=%ld bits=%u (%d)\n", i, single + 1, s.fc, (long)s.C,
                       (long)s.M, s.bits, r);
                bad++;
            }
            compared += r == 1;
        }
    }
    for (int i = 0; i < 150; i++) { /* the depthwise 3x3 padded-plane path */
        bl_spec_t s;
        bl_layer_t L;
        bl_random_dw3_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        for (int single = 0; single < 2; single++) {
            L.ctx.single_rounding = single;
            int r = bl_compare(&L);
            if (r != 1) {
                printf("MISMATCH random depthwise 3x3 %d format %d: C=%ld H=%ld W=%ld M=%ld pad=%ld bits=%u (%d)\n", i, single + 1,
                       (long)s.C, (long)s.H, (long)s.W, (long)s.M, (long)s.pad, s.bits, r);
                bad++;
            }
            compared += r == 1;
        }
    }
    printf("random layers x blob formats 1 and 2, optimized vs reference on the device: %d compared, %d mismatches\n",
           compared, bad);

    static const bench_t benches[] = {
        {"conv 16x16x16->32 3x3 p1", {false, 16, 16, 16, 32, 3, 3, 1, 1, 1, 1, 8}, 214, 391},
        {"depthwise 16x16x32 3x3 p1", {false, 32, 16, 16, 32, 3, 3, 1, 1, 1, 32, 8}, 807, 0},
        {"pointwise 16x16x32->32", {false, 32, 16, 16, 32, 1, 1, 1, 0, 1, 1, 8}, 270, 0},
        {"fc 256->64", {true, 256, 1, 1, 64, 0, 0, 0, 0, 0, 0, 8}, 207, 507},
        /* beyond the table: shapes of real small models (no CMSIS-NN figure) */
        {"depthwise 32x32x16 3x3 s2", {false, 16, 32, 32, 16, 3, 3, 2, 1, 1, 16, 8}, 0, 0},
        {"depthwise 16x16x32 5x5 p2", {false, 32, 16, 16, 32, 5, 5, 1, 2, 1, 32, 8}, 0, 0},
        {"conv 32x32x3->16 3x3 s2", {false, 3, 32, 32, 16, 3, 3, 2, 1, 1, 1, 8}, 0, 0},
        {"conv 8x8x32->32 3x3 s1", {false, 32, 8, 8, 32, 3, 3, 1, 1, 1, 1, 8}, 0, 0},
    };
    static const unsigned widths[] = {8, 7, 6, 5, 4, 3, 2};
    /* f1 / f2: blob format 1 (two roundings) / 2 (one rounding) requantization */
    printf("%-27s %4s %9s %8s %8s %8s %8s %7s %6s\n", "layer", "bits", "MACs", "ref f1", "opt f1", "ref f2", "opt f2",
           "speedup", "CMSIS");
    for (unsigned b = 0; b < sizeof benches / sizeof benches[0]; b++)
        for (unsigned wi = 0; wi < sizeof widths / sizeof widths[0]; wi++) {
            bl_spec_t s = benches[b].s;
            s.bits = widths[wi];
            bl_layer_t L;
            uint32_t seed = 42u + b * 16u + wi;
            if (!bl_make(&L, &s, &seed)) {
                printf("%-27s %4u does not fit the bench buffers\n", benches[b].name, s.bits);
                bad++;
                continue;
            }
            char ipm[4][16], sp[16], cm[16] = "-";
            uint64_t ins[4];
            int same = 1;
            for (int f = 0; f < 2; f++) {
                L.ctx.single_rounding = f;
                same &= bl_compare(&L) == 1;
                ins[2 * f] = measure(&L, false), ins[2 * f + 1] = measure(&L, true);
            }
            for (int j = 0; j < 4; j++) x100(ipm[j], (ins[j] * 100 + L.macs / 2) / L.macs);
            x100(sp, (ins[2] * 100 + ins[3] / 2) / ins[3]); /* format 2: the blobs the host writes now */
            unsigned cmsis = s.bits == 8 ? benches[b].cmsis8 : s.bits == 4 ? benches[b].cmsis4 : 0;
            if (cmsis) x100(cm, cmsis);
            printf("%-27s %4u %9lu %8s %8s %8s %8s %6sx %6s%s\n", benches[b].name, s.bits, (unsigned long)L.macs, ipm[0],
                   ipm[1], ipm[2], ipm[3], sp, cm, same ? "" : "  MISMATCH");
            if (!same) bad++;
        }
    printf("%s\n", bad ? "FAIL" : "OK");
    exit(bad ? 1 : 0);
}
