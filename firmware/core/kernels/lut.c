/* LUT, any element-wise function of one value (Sigmoid, HardSwish, LeakyRelu, Add/Mul by a
 * scalar); the host computes the table from the float function and the in/out quantisation.
 * int8 input: y = table[x + 128], 256 entries (bytes for an int8 output, i16 for int16).
 * int16 input: 513 i16 entries at x = 128*(i - 256), linearly interpolated:
 * i = (x >> 7) + 256, f = x & 127, y = t[i] + (((t[i+1] - t[i]) * f + 64) >> 7).
 * The result is clamped to the output dtype. */
#include "kernels.h"
#include "../le.h"
#include "../quant.h"

#define LUT16_ENTRIES 513u

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    if (c->in.count != c->out.count) return "lut: element counts differ";
    bool ok = c->in.dtype == DTYPE_INT16 ? data_ref_ok(c, c->p[0], 2ull * LUT16_ENTRIES, 2)
            : c->out.dtype == DTYPE_INT16 ? data_ref_ok(c, c->p[0], 512, 2)
            : data_ref_ok(c, c->p[0], 256, 1);
    if (!ok) return "lut: table outside the data section";
    cost->macs = 0;
    cost->elems = c->in.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const uint8_t *table = c->data + c->p[0];
    int32_t lo = t_min(&c->out), hi = t_max(&c->out);
    /* In place only with equal dtypes (the loader's rule): element i is read before it is written. */
    if (c->in.dtype == DTYPE_INT8 && c->out.dtype == DTYPE_INT8) {
        for (uint32_t i = 0; i < c->in.count; i++) c->y[i] = (int8_t)table[(uint8_t)(c->x[i] + 128)];
        return;
    }
    for (uint32_t i = 0; i < c->in.count; i++) {
        int32_t x = t_get(&c->in, c->x, i), v;
        if (c->in.dtype == DTYPE_INT16) {
            uint32_t k = (uint32_t)((x >> 7) + 256);
            int32_t f = x & 127, t0 = le_i16(table + 2u * k), t1 = le_i16(table + 2u * k + 2u);
            v = t0 + (((t1 - t0) * f + 64) >> 7);
        } else {
            v = le_i16(table + 2u * (uint32_t)(x + 128));
        }
        t_set(&c->out, c->y, i, q_clamp(v, lo, hi));
    }
}

const kernel_t k_lut = {"LUT", 1, true, check, run, 1, 1};
