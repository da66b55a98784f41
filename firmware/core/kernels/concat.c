/* CONCAT of 2..4 int8 tensors along blob axis `axis`; each input is requantised to the output
 * (mult[i], shift[i] in the data section; an input with the output's quantisation uses
 * M = 1 = (2^30, 1), which MBQM reproduces exactly). */
#include "kernels.h"
#include "../quant.h"

enum { P_AXIS, P_MULT, P_SHIFT };

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    int32_t axis = p[P_AXIS];
    if (c->n_in < 2) return "concat: needs 2..4 inputs";
    if (axis < 0 || axis >= c->out.rank) return "concat: axis outside the rank";
    uint32_t along = 0;
    for (uint8_t j = 0; j < c->n_in; j++) {
        const tensor_info_t *t = &c->ins[j];
        if (t->rank != c->out.rank) return "concat: ranks differ";
        for (int d = 0; d < 4; d++)
            if (d != axis && t->dims[d] != c->out.dims[d]) return "concat: dims differ off the axis";
        along += t->dims[axis];
    }
    if (along != c->out.dims[axis]) return "concat: axis dims do not sum to the output's";
    if (!requant_ok(c, p[P_MULT], p[P_SHIFT], c->n_in)) return "concat: bad mult/shift";
    cost->macs = 0;
    cost->elems = c->out.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    int32_t axis = p[P_AXIS];
    uint32_t outer = 1, inner = 1;
    for (int d = 0; d < axis; d++) outer *= c->out.dims[d];
    for (int d = axis + 1; d < 4; d++) inner *= c->out.dims[d];
    uint32_t k = 0;
    int32_t lo = t_min(&c->out), hi = t_max(&c->out);
    for (uint32_t o = 0; o < outer; o++)
        for (uint8_t j = 0; j < c->n_in; j++) {
            uint32_t n = c->ins[j].dims[axis] * inner, base = o * n;
            int32_t m = data_i32(c, p[P_MULT], j), s = data_i32(c, p[P_SHIFT], j);
            for (uint32_t i = 0; i < n; i++) {
                int32_t v = c->out.zero_point + k_mbqm(c, t_get(&c->ins[j], c->xs[j], base + i) - c->ins[j].zero_point, m, s);
                t_set(&c->out, c->y, k++, q_clamp(v, lo, hi));
            }
        }
}

const kernel_t k_concat = {"CONCAT", 3, false, check, run, 2, KERNEL_MAX_INPUTS};
