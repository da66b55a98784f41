/* Random batch-1 FULLY_CONNECTED / CONV2D layers as op contexts, for the kernel benchmark
 * (ipm_main.c, under QEMU) and the optimized-vs-reference CTest (tests/test_opt_kernels.c). */
#ifndef FW_BENCH_LAYERS_H
#define FW_BENCH_LAYERS_H
#include <stdbool.h>
#include <stdint.h>
#include "kernels/kernels.h"

typedef struct {
    bool fc;
    int32_t C, H, W, M, kh, kw, stride, pad, dil, group; /* fc: C = K, M = N */
    unsigned bits;
} bl_spec_t;

typedef struct {
    op_ctx_t ctx;
    const kernel_t *k;
    uint64_t macs;
    uint32_t out_bytes;
} bl_layer_t;

/* Fills *L with random weights/activations/requant params (xorshift state *rng) in static
 * buffers (one layer at a time). ctx.y points at bl_out_a; bl_out_b is a second output. False
 * when the layer does not fit the buffers or the kernel's own check refuses it. */
bool bl_make(bl_layer_t *L, const bl_spec_t *s, uint32_t *rng);
extern int8_t bl_out_a[], bl_out_b[];
uint32_t bl_rand(uint32_t *s);
/* A random small layer covering the kernels' cases (bits 2..8, padding, stride, dilation,
 * groups, depthwise, odd sizes). */
void bl_random_spec(bl_spec_t *s, uint32_t *rng);
/* A random depthwise 3x3 stride 1 or 2 layer (the padded-plane path): sizes 1..21, pad 0..2,
 * depth multiplier 1..3, any bit width; one in eight 40..90 square-ish (sums in
 * several passes), one in sixteen 128x128 (plane bigger than the scratch: bands), one in
 * sixteen 9x9 (81 taps: the bounds-checked fallback). */
void bl_random_dw3_spec(bl_spec_t *s, uint32_t *rng);
#endif
