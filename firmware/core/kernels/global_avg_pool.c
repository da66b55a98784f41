/* GLOBAL_AVG_POOL over [C,H,W] int8: y[c] = clamp(zp_out + MBQM(sum(x - zp_in), mult, shift)). */
#include "kernels.h"
#include "../quant.h"

enum { P_MULT, P_SHIFT, P_MIN, P_MAX };
/* 255 * H*W must stay inside int32 for the sum. */
#define MAX_PLANE 8388607u

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8) return "gap: int8 tensors only";
    if (c->in.rank != 3) return "gap: input must be [C,H,W]";
    if (c->out.count != c->in.dims[0]) return "gap: output must hold C elements";
    if ((uint32_t)c->in.dims[1] * c->in.dims[2] > MAX_PLANE) return "gap: plane too large";
    if (p[P_MULT] < 0 || p[P_SHIFT] < -31 || p[P_SHIFT] > 30) return "gap: bad mult/shift";
    if (!act_range_ok(p[P_MIN], p[P_MAX])) return "gap: bad act_min/act_max";
    cost->macs = 0;
    cost->elems = c->in.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    uint32_t C = c->in.dims[0], hw = (uint32_t)c->in.dims[1] * c->in.dims[2];
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    for (uint32_t ch = 0; ch < C; ch++) {
        int32_t sum = 0;
        for (uint32_t i = 0; i < hw; i++) sum += c->x[(size_t)ch * hw + i] - zp_in;
        int32_t v = zp_out + q_mbqm(sum, p[P_MULT], p[P_SHIFT]);
        c->y[ch] = (int8_t)q_clamp(v, p[P_MIN], p[P_MAX]);
    }
}

const kernel_t k_global_avg_pool = {"GLOBAL_AVG_POOL", 4, false, check, run, 1, 1};
