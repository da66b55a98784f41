/* LUT: y = table[x + 128], a 256-byte table in the data section. Any element-wise function of
 * one int8 value (Sigmoid, HardSwish, LeakyRelu, Add/Mul by a scalar) is exact this way: the
 * host computes the table from the float function and the in/out quantisation. */
#include "kernels.h"

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8) return "lut: int8 tensors only";
    if (c->in.count != c->out.count) return "lut: element counts differ";
    if (!data_ref_ok(c, c->p[0], 256, 1)) return "lut: table outside the data section";
    cost->macs = 0;
    cost->elems = c->in.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const uint8_t *table = c->data + c->p[0];
    /* Element i is read before it is written, so in-place is safe. */
    for (uint32_t i = 0; i < c->in.count; i++) c->y[i] = (int8_t)table[(uint8_t)(c->x[i] + 128)];
}

const kernel_t k_lut = {"LUT", 1, true, check, run, 1, 1};
