/* The optimized Cortex-M4 kernels (core/kernels/opt, here with the portable SMLAD/SXTB16
 * emulation) against the reference kernels on random layers: outputs must match byte for byte.
 * bench/ipm_main.c runs the same comparison on the device instructions under QEMU. */
#include <stdio.h>
#include "check.h"
#include "bench_layers.h"
#include "bench_compare.h"

int main(void)
{
    uint32_t rng = 0x1234567u;
    int compared = 0, declined = 0, made = 0;
    int by_bits[9] = {0};
    for (int i = 0; i < 3000; i++) {
        bl_spec_t s;
        bl_layer_t L;
        bl_random_spec(&s, &rng);
        if (!bl_make(&L, &s, &rng)) continue;
        made++;
        int r = bl_compare(&L);
        if (r < 0) {
            declined++;
            /* only bit widths without an unpacker (5..7) may fall back */
            CHECK(s.bits >= 5 && s.bits <= 7 && !(s.group == s.C && !s.fc));
            continue;
        }
        compared++;
        by_bits[s.bits]++;
        if (!r) fprintf(stderr, "layer %d: fc=%d C=%d H=%d W=%d M=%d k=%dx%d s=%d p=%d d=%d g=%d bits=%u differs\n", i,
                        s.fc, s.C, s.H, s.W, s.M, s.kh, s.kw, s.stride, s.pad, s.dil, s.group, s.bits);
        CHECK(r == 1);
    }
    /* the sweep must really have exercised every optimized bit width */
    CHECK(made > 2000);
    for (unsigned b = 2; b <= 4; b++) CHECK(by_bits[b] > 100);
    CHECK(by_bits[8] > 100);
    printf("%d layers compared, %d declined (5..7-bit), %d checks, %d failures\n", compared, declined, g_checks,
           g_failures);
    return g_failures != 0;
}
