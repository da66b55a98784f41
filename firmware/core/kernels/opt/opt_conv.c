/* CONV2D on Cortex-M4. Two paths:
 *  - depthwise (one input channel per group): per channel, weights unpacked once to int32;
 *    interior windows sum raw x*w and subtract zp*sum(w) once (equal modulo 2^32), border
 *    windows skip the padded taps; 3x3 stride 1 is unrolled, two outputs per pass.
 *  - everything else: the im2col column of two output pixels is built once in int16 (x - zp,
 *    0 for padding; for 1x1 stride-1 convs that is a strided gather), then every pair of output
 *    channels runs a 2x2 block (opt_dot2x2): each unpacked weight pair and each column load
 *    feeds two SMLADs. */
#include "opt.h"
#include "opt_scratch.h"
#include "../weights.h"
#include "../../quant.h"

enum { P_BITS, P_KH, P_KW, P_SH, P_SW, P_PT, P_PL, P_DH, P_DW, P_GROUP, P_MIN, P_MAX,
       P_W, P_BIAS, P_MULT, P_SHIFT };

#define DW_MAX_TAPS 64

typedef struct {
    int32_t C, H, W, M, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, cg, mg, zp_in, zp_out;
    unsigned bits;
    uint32_t kc, row_bytes;
} geom_t;

static int8_t requant(const op_ctx_t *c, const geom_t *g, int32_t m, uint32_t acc)
{
    const int32_t *p = c->p;
    int32_t a = (int32_t)(acc + (uint32_t)data_i32(c, p[P_BIAS], (uint32_t)m));
    int32_t v = g->zp_out + q_mbqm(a, data_i32(c, p[P_MULT], (uint32_t)m), data_i32(c, p[P_SHIFT], (uint32_t)m));
    return (int8_t)q_clamp(v, p[P_MIN], p[P_MAX]);
}

/* im2col of output pixel pix for input channels c0 .. c0+cg-1, natural [c][ky][kx] order. */
static void im2col(const op_ctx_t *c, const geom_t *g, int32_t c0, int32_t pix, int16_t *nat)
{
    int32_t oy = pix / g->OW, ox = pix % g->OW;
    int32_t iy0 = oy * g->sh - g->pt, ix0 = ox * g->sw - g->pl;
    const int8_t *x = c->x + (size_t)c0 * g->H * g->W;
    if (g->kh == 1 && g->kw == 1 && iy0 >= 0 && iy0 < g->H && ix0 >= 0 && ix0 < g->W) {
        const int8_t *px = x + (size_t)iy0 * g->W + ix0;
        size_t plane = (size_t)g->H * g->W;
        for (int32_t ci = 0; ci < g->cg; ci++) nat[ci] = (int16_t)(px[ci * plane] - g->zp_in);
        return;
    }
    uint32_t k = 0;
    for (int32_t ci = 0; ci < g->cg; ci++, x += (size_t)g->H * g->W)
        for (int32_t ky = 0; ky < g->kh; ky++) {
            int32_t iy = iy0 + ky * g->dh;
            bool row_in = iy >= 0 && iy < g->H;
            for (int32_t kx = 0; kx < g->kw; kx++, k++) {
                int32_t ix = ix0 + kx * g->dw;
                nat[k] = (row_in && ix >= 0 && ix < g->W) ? (int16_t)(x[(size_t)iy * g->W + ix] - g->zp_in) : 0;
            }
        }
}

static void conv_general(const op_ctx_t *c, const geom_t *g)
{
    const uint8_t *w = c->data + c->p[P_W];
    uint32_t gsz = opt_group(g->bits), kp = (g->kc + gsz - 1) / gsz * gsz;
    int32_t npix = g->OH * g->OW, groups = g->C / g->cg;
    for (uint32_t i = g->kc; i < kp; i++) opt_nat[i] = 0;
    for (int32_t gi = 0; gi < groups; gi++) {
        for (int32_t pix = 0; pix < npix; pix += 2) {
            int32_t pix1 = pix + 1 < npix ? pix + 1 : pix; /* odd count: last pixel twice */
            im2col(c, g, gi * g->cg, pix, opt_nat);
            opt_pack_col(opt_nat, g->kc, g->bits, opt_cols[0]);
            im2col(c, g, gi * g->cg, pix1, opt_nat);
            opt_pack_col(opt_nat, g->kc, g->bits, opt_cols[1]);
            for (int32_t m = gi * g->mg; m < (gi + 1) * g->mg; m += 2) {
                int32_t m1 = m + 1 < (gi + 1) * g->mg ? m + 1 : m;
                uint32_t acc[4];
                opt_dot2x2(w + (size_t)m * g->row_bytes, w + (size_t)m1 * g->row_bytes, g->row_bytes,
                           opt_cols[0], opt_cols[1], g->kc, g->bits, acc);
                int8_t *y0 = c->y + (size_t)m * npix, *y1 = c->y + (size_t)m1 * npix;
                y0[pix] = requant(c, g, m, acc[0]);
                y0[pix1] = requant(c, g, m, acc[1]);
                y1[pix] = requant(c, g, m1, acc[2]);
                y1[pix1] = requant(c, g, m1, acc[3]);
            }
        }
    }
}

/* Depthwise 3x3, stride 1, dilation 1, interior rows: two outputs per pass share 4 loads per
 * kernel row. Raw int8 products; the caller subtracts zp*sum(w). */
static void dw3x3_pair(const int8_t *x, int32_t W, const int32_t *k, uint32_t *a0, uint32_t *a1)
{
    uint32_t s0 = 0, s1 = 0;
    for (int r = 0; r < 3; r++, x += W, k += 3) {
        int32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
        s0 += (uint32_t)(x0 * k[0] + x1 * k[1] + x2 * k[2]);
        s1 += (uint32_t)(x1 * k[0] + x2 * k[1] + x3 * k[2]);
    }
    *a0 = s0;
    *a1 = s1;
}

static void conv_depthwise(const op_ctx_t *c, const geom_t *g)
{
    const uint8_t *wbase = c->data + c->p[P_W];
    int32_t taps = g->kh * g->kw;
    int32_t k[DW_MAX_TAPS];
    for (int32_t m = 0; m < g->M; m++) {
        const uint8_t *row = wbase + (size_t)m * g->row_bytes;
        uint32_t sumw = 0;
        for (int32_t t = 0; t < taps; t++) {
            k[t] = w_get(row, (uint32_t)t, g->bits);
            sumw += (uint32_t)k[t];
        }
        uint32_t zfix = (uint32_t)g->zp_in * sumw; /* sum (x-zp)w = sum xw - zp*sum w, mod 2^32 */
        const int8_t *x = c->x + (size_t)(m / g->mg) * g->H * g->W;
        int8_t *y = c->y + (size_t)m * g->OH * g->OW;
        bool fast3 = g->kh == 3 && g->kw == 3 && g->sh == 1 && g->sw == 1 && g->dh == 1 && g->dw == 1;
        for (int32_t oy = 0; oy < g->OH; oy++) {
            int32_t iy0 = oy * g->sh - g->pt;
            bool rows_in = iy0 >= 0 && iy0 + (g->kh - 1) * g->dh < g->H;
            int32_t ox = 0;
            while (ox < g->OW) {
                int32_t ix0 = ox * g->sw - g->pl;
                bool in = rows_in && ix0 >= 0 && ix0 + (g->kw - 1) * g->dw < g->W;
                if (in && fast3 && ox + 1 < g->OW && ix0 + 3 < g->W) {
                    uint32_t a0, a1;
                    dw3x3_pair(x + (size_t)iy0 * g->W + ix0, g->W, k, &a0, &a1);
                    y[oy * g->OW + ox] = requant(c, g, m, a0 - zfix);
                    y[oy * g->OW + ox + 1] = requant(c, g, m, a1 - zfix);
                    ox += 2;
                    continue;
                }
                uint32_t acc = 0;
                for (int32_t ky = 0, t = 0; ky < g->kh; ky++) {
                    int32_t iy = iy0 + ky * g->dh;
                    for (int32_t kx = 0; kx < g->kw; kx++, t++) {
                        int32_t ix = ix0 + kx * g->dw;
                        if (iy < 0 || iy >= g->H || ix < 0 || ix >= g->W) continue;
                        acc += (uint32_t)((x[(size_t)iy * g->W + ix] - g->zp_in) * k[t]);
                    }
                }
                y[oy * g->OW + ox] = requant(c, g, m, acc);
                ox++;
            }
        }
    }
}

bool opt_conv2d_run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    geom_t g = {
        .C = (int32_t)c->in.dims[0], .H = (int32_t)c->in.dims[1], .W = (int32_t)c->in.dims[2],
        .M = (int32_t)c->out.dims[0], .OH = (int32_t)c->out.dims[1], .OW = (int32_t)c->out.dims[2],
        .kh = p[P_KH], .kw = p[P_KW], .sh = p[P_SH], .sw = p[P_SW], .pt = p[P_PT], .pl = p[P_PL],
        .dh = p[P_DH], .dw = p[P_DW], .zp_in = c->in.zero_point, .zp_out = c->out.zero_point,
        .bits = (unsigned)p[P_BITS],
    };
    g.cg = g.C / p[P_GROUP];
    g.mg = g.M / p[P_GROUP];
    g.kc = (uint32_t)(g.cg * g.kh * g.kw);
    g.row_bytes = (uint32_t)w_row_bytes(g.kc, g.bits);
    if (g.cg == 1 && g.kh * g.kw <= DW_MAX_TAPS) {
        conv_depthwise(c, &g); /* any bit width: weights are unpacked once per channel */
        return true;
    }
    if (!opt_k_ok(g.kc, g.bits)) return false;
    conv_general(c, &g);
    return true;
}
