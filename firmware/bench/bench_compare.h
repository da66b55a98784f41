/* Reference vs optimized kernel on one layer, byte for byte. */
#ifndef FW_BENCH_COMPARE_H
#define FW_BENCH_COMPARE_H
#include <string.h>
#include "bench_layers.h"
#include "kernels/opt/opt.h"

/* 1 = equal, 0 = differ, -1 = the optimized kernel declined the layer. */
static inline int bl_compare(bl_layer_t *L)
{
    L->ctx.y = bl_out_a;
    L->k->run(&L->ctx);
    L->ctx.y = bl_out_b;
    memset(bl_out_b, 0x5A, L->out_bytes);
    bool took = L->k == &k_conv2d ? opt_conv2d_run(&L->ctx) : opt_fully_connected_run(&L->ctx);
    L->ctx.y = bl_out_a;
    if (!took) return -1;
    return memcmp(bl_out_a, bl_out_b, L->out_bytes) == 0;
}
#endif
