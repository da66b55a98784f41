/* GLOBAL_AVG_POOL over [C,H,W] int8 or int16: y[c] = clamp(zp_out + MBQM(sum(x - zp_in), mult, shift));
 * an int16 input sums in int64 and requantises with MBQM64. */
#include "kernels.h"
#include "../quant.h"

enum { P_MULT, P_SHIFT, P_MIN, P_MAX };
/* 255 * H*W must stay inside int32 for the sum. */
#define MAX_PLANE 8388607u

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.rank != 3) return "gap: input must be [C,H,W]";
    if (c->out.count != c->in.dims[0]) return "gap: output must hold C elements";
    if ((uint32_t)c->in.dims[1] * c->in.dims[2] > MAX_PLANE) return "gap: plane too large";
    if (p[P_MULT] < 0 || p[P_SHIFT] < -31 || p[P_SHIFT] > 30) return "gap: bad mult/shift";
    if (c->in.dtype == DTYPE_INT16 && p[P_SHIFT] > 14) return "gap: int16 input needs shift <= 14";
    if (!act_range_dt_ok(p[P_MIN], p[P_MAX], &c->out)) return "gap: bad act_min/act_max";
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
    bool wide = c->in.dtype == DTYPE_INT16;
    for (uint32_t ch = 0; ch < C; ch++) {
        int64_t sum = 0; /* int8: |sum| < 2^31 by MAX_PLANE; int16 may pass it */
        for (uint32_t i = 0; i < hw; i++) sum += t_get(&c->in, c->x, ch * hw + i) - zp_in;
        int32_t r = wide ? q_mbqm64(sum, p[P_MULT], p[P_SHIFT]) : k_mbqm(c, (int32_t)sum, p[P_MULT], p[P_SHIFT]);
        int32_t v = (int32_t)((uint32_t)zp_out + (uint32_t)r);
        t_set(&c->out, c->y, ch, q_clamp(v, p[P_MIN], p[P_MAX]));
    }
}

const kernel_t k_global_avg_pool = {"GLOBAL_AVG_POOL", 4, false, check, run, 1, 1};
