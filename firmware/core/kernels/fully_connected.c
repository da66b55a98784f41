/* FULLY_CONNECTED, int8 or int16 activations, per-output-channel b-bit weights (reference
 * kernel). An int16 input accumulates in int64 with an i64 bias and requantises with q_mbqm64. */
#include "kernels.h"
#include "weights.h"
#include "../quant.h"
#ifdef FW_OPT_KERNELS /* Cortex-M4 DSP kernels (opt/); this one stays the oracle and the fallback */
#include "opt/opt.h"
#endif

enum { P_BITS, P_K, P_N, P_MIN, P_MAX, P_W, P_BIAS, P_MULT, P_SHIFT };

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (p[P_BITS] < 2 || p[P_BITS] > 8) return "fc: weight bits not in 2..8";
    if (p[P_K] < 1 || (uint32_t)p[P_K] != c->in.count) return "fc: K != input elements";
    if (p[P_N] < 1 || (uint32_t)p[P_N] != c->out.count) return "fc: N != output elements";
    if (!act_range_dt_ok(p[P_MIN], p[P_MAX], &c->out)) return "fc: bad act_min/act_max";
    bool wide = c->in.dtype == DTYPE_INT16;
    uint32_t n = (uint32_t)p[P_N];
    if (!data_ref_ok(c, p[P_W], (uint64_t)n * w_row_bytes((uint32_t)p[P_K], (unsigned)p[P_BITS]), 1))
        return "fc: weights outside the data section";
    if (!data_ref_ok(c, p[P_BIAS], (wide ? 8ull : 4ull) * n, 4)) return "fc: bias outside the data section";
    if (!requant_ok(c, p[P_MULT], p[P_SHIFT], n)) return "fc: bad mult/shift";
    if (wide && !wide_shifts_ok(c, p[P_SHIFT], n)) return "fc: int16 input needs shift <= 14";
    cost->macs = (uint64_t)p[P_K] * n;
    cost->elems = n;
    cost->bits = (uint8_t)p[P_BITS];
    return 0;
}

/* Any int16 tensor: t_get/t_set, int64 accumulation for an int16 input. */
static void run_mixed(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    unsigned bits = (unsigned)p[P_BITS];
    bool wide = c->in.dtype == DTYPE_INT16;
    uint32_t k = (uint32_t)p[P_K], n = (uint32_t)p[P_N];
    uint32_t row_bytes = (uint32_t)w_row_bytes(k, bits);
    const uint8_t *w = c->data + p[P_W];
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    for (uint32_t o = 0; o < n; o++) {
        const uint8_t *row = w + (size_t)o * row_bytes;
        uint64_t acc = wide ? (uint64_t)data_i64(c, p[P_BIAS], o) : (uint64_t)(int64_t)data_i32(c, p[P_BIAS], o);
        for (uint32_t i = 0; i < k; i++)
            acc += (uint64_t)(int64_t)((t_get(&c->in, c->x, i) - zp_in) * w_get(row, i, bits));
        int32_t mult = data_i32(c, p[P_MULT], o), shift = data_i32(c, p[P_SHIFT], o);
        int32_t r = wide ? q_mbqm64((int64_t)acc, mult, shift) : k_mbqm(c, (int32_t)(uint32_t)acc, mult, shift);
        int32_t v = (int32_t)((uint32_t)zp_out + (uint32_t)r);
        t_set(&c->out, c->y, o, q_clamp(v, p[P_MIN], p[P_MAX]));
    }
}

static void run(const op_ctx_t *c)
{
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8) {
        run_mixed(c);
        return;
    }
#ifdef FW_OPT_KERNELS
    if (opt_fully_connected_run(c)) return; /* format 1 and 2 alike (op_ctx_t.single_rounding) */
#endif
    const int32_t *p = c->p;
    unsigned bits = (unsigned)p[P_BITS];
    uint32_t k = (uint32_t)p[P_K], n = (uint32_t)p[P_N];
    uint32_t row_bytes = (uint32_t)w_row_bytes(k, bits);
    const uint8_t *w = c->data + p[P_W];
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    for (uint32_t o = 0; o < n; o++) {
        const uint8_t *row = w + (size_t)o * row_bytes;
        /* int32 accumulation wraps like the host's unchecked int (uint32 avoids C's UB) */
        uint32_t acc = (uint32_t)data_i32(c, p[P_BIAS], o);
        for (uint32_t i = 0; i < k; i++)
            acc += (uint32_t)(((int32_t)c->x[i] - zp_in) * w_get(row, i, bits));
        /* wraps like the host's unchecked int: zp_out + INT32_MAX is defined there */
        int32_t r = k_mbqm(c, (int32_t)acc, data_i32(c, p[P_MULT], o), data_i32(c, p[P_SHIFT], o));
        int32_t v = (int32_t)((uint32_t)zp_out + (uint32_t)r);
        c->y[o] = (int8_t)q_clamp(v, p[P_MIN], p[P_MAX]);
    }
}

const kernel_t k_fully_connected = {"FULLY_CONNECTED", 9, false, check, run, 1, 1};
