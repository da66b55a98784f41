/* CLAMP (standalone Relu/Relu6/Clip): output quantisation equals the input's. May run in place. */
#include "kernels.h"
#include "../quant.h"

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    if (c->in.dtype != c->out.dtype) return "clamp: dtypes differ";
    if (c->in.count != c->out.count) return "clamp: element counts differ";
    if (c->in.zero_point != c->out.zero_point) return "clamp: output quantisation must equal input";
    if (!act_range_dt_ok(c->p[0], c->p[1], &c->out)) return "clamp: bad act_min/act_max";
    cost->macs = 0;
    cost->elems = c->in.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    for (uint32_t i = 0; i < c->in.count; i++) t_set(&c->out, c->y, i, q_clamp(t_get(&c->in, c->x, i), c->p[0], c->p[1]));
}

const kernel_t k_clamp = {"CLAMP", 2, true, check, run, 1, 1};
