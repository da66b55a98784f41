/* CONV2D (NCHW, grouped/depthwise, dilation, padding), int8 or int16 activations,
 * per-output-channel b-bit weights ordered [m][c][ky][kx] (reference kernel). An int16 input
 * accumulates in int64 with an i64 bias and requantises with q_mbqm64 (TFLite 16x8). */
#include "kernels.h"
#include "weights.h"
#include "../quant.h"
#ifdef FW_OPT_KERNELS /* Cortex-M4 DSP kernels (opt/); this one stays the oracle and the fallback */
#include "opt/opt.h"
#endif

enum { P_BITS, P_KH, P_KW, P_SH, P_SW, P_PT, P_PL, P_DH, P_DW, P_GROUP, P_MIN, P_MAX,
       P_W, P_BIAS, P_MULT, P_SHIFT };

/* Geometry limits keep every index product far inside 64 bits. */
#define GEOM_MAX 4096

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.rank != 3 || c->out.rank != 3) return "conv: tensors must be [C,H,W]";
    if (p[P_BITS] < 2 || p[P_BITS] > 8) return "conv: weight bits not in 2..8";
    for (int i = P_KH; i <= P_DW; i++) {
        int32_t lo = (i == P_PT || i == P_PL) ? 0 : 1;
        if (p[i] < lo || p[i] > GEOM_MAX) return "conv: kernel/stride/pad/dilation out of range";
    }
    uint32_t C = c->in.dims[0], M = c->out.dims[0];
    int32_t g = p[P_GROUP];
    if (g < 1 || C % (uint32_t)g != 0 || M % (uint32_t)g != 0) return "conv: group must divide C and M";
    if (!act_range_dt_ok(p[P_MIN], p[P_MAX], &c->out)) return "conv: bad act_min/act_max";
    bool wide = c->in.dtype == DTYPE_INT16;
    uint64_t kc = (uint64_t)(C / (uint32_t)g) * (uint32_t)p[P_KH] * (uint32_t)p[P_KW];
    if (kc > 0xFFFFFFFFull) return "conv: kernel too large";
    if (!data_ref_ok(c, p[P_W], (uint64_t)M * w_row_bytes(kc, (unsigned)p[P_BITS]), 1))
        return "conv: weights outside the data section";
    if (!data_ref_ok(c, p[P_BIAS], (wide ? 8ull : 4ull) * M, 4)) return "conv: bias outside the data section";
    if (!requant_ok(c, p[P_MULT], p[P_SHIFT], M)) return "conv: bad mult/shift";
    if (wide && !wide_shifts_ok(c, p[P_SHIFT], M)) return "conv: int16 input needs shift <= 14";
    cost->macs = (uint64_t)c->out.count * kc;
    cost->elems = c->out.count;
    cost->bits = (uint8_t)p[P_BITS];
    return 0;
}

/* Any int16 tensor: the same loops over t_get/t_set, int64 accumulation for an int16 input. */
static void run_mixed(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    unsigned bits = (unsigned)p[P_BITS];
    bool wide = c->in.dtype == DTYPE_INT16;
    int32_t C = c->in.dims[0], H = c->in.dims[1], W = c->in.dims[2];
    int32_t M = c->out.dims[0], OH = c->out.dims[1], OW = c->out.dims[2];
    int32_t kh = p[P_KH], kw = p[P_KW], g = p[P_GROUP];
    int32_t cg = C / g, mg = M / g;
    uint32_t row_bytes = (uint32_t)w_row_bytes((uint64_t)cg * kh * kw, bits);
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    for (int32_t m = 0; m < M; m++) {
        const uint8_t *row = c->data + p[P_W] + (size_t)m * row_bytes;
        int32_t c0 = (m / mg) * cg;
        int64_t bias = wide ? data_i64(c, p[P_BIAS], (uint32_t)m) : data_i32(c, p[P_BIAS], (uint32_t)m);
        int32_t mult = data_i32(c, p[P_MULT], (uint32_t)m), shift = data_i32(c, p[P_SHIFT], (uint32_t)m);
        for (int32_t oy = 0; oy < OH; oy++) {
            for (int32_t ox = 0; ox < OW; ox++) {
                uint64_t acc = (uint64_t)bias; /* wraps like the host's long (its low 32 bits: int) */
                uint32_t k = 0;
                for (int32_t ci = 0; ci < cg; ci++) {
                    uint32_t plane = (uint32_t)(c0 + ci) * (uint32_t)(H * W);
                    for (int32_t ky = 0; ky < kh; ky++) {
                        int32_t iy = oy * p[P_SH] - p[P_PT] + ky * p[P_DH];
                        for (int32_t kx = 0; kx < kw; kx++, k++) {
                            int32_t ix = ox * p[P_SW] - p[P_PL] + kx * p[P_DW];
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                            int32_t xv = t_get(&c->in, c->x, plane + (uint32_t)(iy * W + ix)) - zp_in;
                            acc += (uint64_t)(int64_t)(xv * w_get(row, k, bits));
                        }
                    }
                }
                int32_t r = wide ? q_mbqm64((int64_t)acc, mult, shift) : k_mbqm(c, (int32_t)(uint32_t)acc, mult, shift);
                int32_t v = (int32_t)((uint32_t)zp_out + (uint32_t)r);
                t_set(&c->out, c->y, (uint32_t)((m * OH + oy) * OW + ox), q_clamp(v, p[P_MIN], p[P_MAX]));
            }
        }
    }
}

static void run(const op_ctx_t *c)
{
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8) {
        run_mixed(c);
        return;
    }
#ifdef FW_OPT_KERNELS
    if (opt_conv2d_run(c)) return; /* format 1 and 2 alike (op_ctx_t.single_rounding) */
#endif
    const int32_t *p = c->p;
    unsigned bits = (unsigned)p[P_BITS];
    int32_t C = c->in.dims[0], H = c->in.dims[1], W = c->in.dims[2];
    int32_t M = c->out.dims[0], OH = c->out.dims[1], OW = c->out.dims[2];
    int32_t kh = p[P_KH], kw = p[P_KW], g = p[P_GROUP];
    int32_t cg = C / g, mg = M / g;
    uint32_t row_bytes = (uint32_t)w_row_bytes((uint64_t)cg * kh * kw, bits);
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    for (int32_t m = 0; m < M; m++) {
        const uint8_t *row = c->data + p[P_W] + (size_t)m * row_bytes;
        int32_t c0 = (m / mg) * cg;
        int32_t bias = data_i32(c, p[P_BIAS], (uint32_t)m);
        int32_t mult = data_i32(c, p[P_MULT], (uint32_t)m), shift = data_i32(c, p[P_SHIFT], (uint32_t)m);
        for (int32_t oy = 0; oy < OH; oy++) {
            for (int32_t ox = 0; ox < OW; ox++) {
                uint32_t acc = (uint32_t)bias; /* wraps like int32 on the host */
                uint32_t k = 0;
                for (int32_t ci = 0; ci < cg; ci++) {
                    const int8_t *plane = c->x + (size_t)(c0 + ci) * H * W;
                    for (int32_t ky = 0; ky < kh; ky++) {
                        int32_t iy = oy * p[P_SH] - p[P_PT] + ky * p[P_DH];
                        for (int32_t kx = 0; kx < kw; kx++, k++) {
                            int32_t ix = ox * p[P_SW] - p[P_PL] + kx * p[P_DW];
                            /* padding is the zero point: contributes 0 */
                            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
                            int32_t xv = plane[(size_t)iy * W + ix] - zp_in;
                            acc += (uint32_t)(xv * w_get(row, k, bits));
                        }
                    }
                }
                /* wraps like the host's unchecked int: zp_out + INT32_MAX is defined there */
                int32_t v = (int32_t)((uint32_t)zp_out + (uint32_t)k_mbqm(c, (int32_t)acc, mult, shift));
                c->y[((size_t)m * OH + oy) * OW + ox] = (int8_t)q_clamp(v, p[P_MIN], p[P_MAX]);
            }
        }
    }
}

const kernel_t k_conv2d = {"CONV2D", 16, false, check, run, 1, 1};
