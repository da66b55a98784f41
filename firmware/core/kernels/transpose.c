/* TRANSPOSE of the blob dims (batch excluded): out.dims[i] = in.dims[perm[i]]; a byte gather,
 * quantisation passes through. Unused perm entries (i >= rank) must be i. */
#include "kernels.h"

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.dtype != c->out.dtype) return "transpose: dtypes differ";
    if (c->in.rank != c->out.rank) return "transpose: ranks differ";
    if (c->in.zero_point != c->out.zero_point) return "transpose: output quantisation must equal input";
    unsigned seen = 0;
    for (int i = 0; i < 4; i++) {
        if (p[i] < 0 || p[i] > 3) return "transpose: perm entry not in 0..3";
        if (i >= c->in.rank ? p[i] != i : p[i] >= c->in.rank) return "transpose: perm does not fit the rank";
        seen |= 1u << p[i];
        if (c->out.dims[i] != c->in.dims[p[i]]) return "transpose: output dims do not match perm";
    }
    if (seen != 15u) return "transpose: perm is not a permutation";
    cost->macs = 0;
    cost->elems = c->in.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    uint32_t in_stride[4], s = 1;
    for (int d = 3; d >= 0; d--) { in_stride[d] = s; s *= c->in.dims[d]; }
    uint32_t st[4];
    for (int i = 0; i < 4; i++) st[i] = in_stride[p[i]];
    const uint16_t *od = c->out.dims;
    uint32_t k = 0;
    for (uint32_t a = 0; a < od[0]; a++)
        for (uint32_t b = 0; b < od[1]; b++)
            for (uint32_t e = 0; e < od[2]; e++)
                for (uint32_t f = 0; f < od[3]; f++)
                    t_set(&c->out, c->y, k++, t_get(&c->in, c->x, a * st[0] + b * st[1] + e * st[2] + f * st[3]));
}

const kernel_t k_transpose = {"TRANSPOSE", 4, false, check, run, 1, 1};
