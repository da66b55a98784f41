/* PAD (constant mode) of the blob dims: begin[4], end[4] (≥ 0; unused dims 0) and the int8
 * value of the constant in the input's quantisation; quantisation passes through. */
#include <string.h>
#include "kernels.h"

enum { P_B0, P_E0 = 4, P_VALUE = 8 };

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.dtype != c->out.dtype) return "pad: dtypes differ";
    if (c->in.rank != c->out.rank) return "pad: ranks differ";
    if (c->in.zero_point != c->out.zero_point) return "pad: output quantisation must equal input";
    for (int i = 0; i < 4; i++) {
        if (p[P_B0 + i] < 0 || p[P_E0 + i] < 0 || p[P_B0 + i] > 65535 || p[P_E0 + i] > 65535) return "pad: pads must be 0..65535";
        if ((int64_t)c->in.dims[i] + p[P_B0 + i] + p[P_E0 + i] != c->out.dims[i]) return "pad: output dims do not match pads";
    }
    if (p[P_VALUE] < t_min(&c->in) || p[P_VALUE] > t_max(&c->in)) return "pad: value outside the dtype";
    cost->macs = 0;
    cost->elems = c->out.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    const uint16_t *id = c->in.dims, *od = c->out.dims;
    uint32_t es = t_elem_bytes(&c->in);
    for (uint32_t i = 0; i < c->out.count; i++) t_set(&c->out, c->y, i, p[P_VALUE]);
    const uint8_t *src = (const uint8_t *)c->x;
    uint8_t *y = (uint8_t *)c->y;
    for (uint32_t a = 0; a < id[0]; a++)
        for (uint32_t b = 0; b < id[1]; b++)
            for (uint32_t e = 0; e < id[2]; e++) {
                size_t o = (((size_t)(a + p[P_B0]) * od[1] + b + p[P_B0 + 1]) * od[2] + e + p[P_B0 + 2]) * od[3] + p[P_B0 + 3];
                memcpy(y + o * es, src, (size_t)id[3] * es);
                src += (size_t)id[3] * es;
            }
}

const kernel_t k_pad = {"PAD", 9, false, check, run, 1, 1};
