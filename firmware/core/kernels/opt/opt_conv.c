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
#include "opt_requant.h"

enum { P_BITS, P_KH, P_KW, P_SH, P_SW, P_PT, P_PL, P_DH, P_DW, P_GROUP, P_MIN, P_MAX,
       P_W, P_BIAS, P_MULT, P_SHIFT };

#define DW_MAX_TAPS 64

typedef struct {
    int32_t C, H, W, M, OH, OW, kh, kw, sh, sw, pt, pl, dh, dw, cg, mg, zp_in, zp_out;
    unsigned bits;
    uint32_t kc, row_bytes;
} geom_t;

static opt_chan_t chan(const op_ctx_t *c, int32_t m)
{
    return opt_chan(c->data, c->p[P_BIAS], c->p[P_MULT], c->p[P_SHIFT], (uint32_t)m);
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
                opt_chan_t q0 = chan(c, m), q1 = chan(c, m1);
                int32_t lo = c->p[P_MIN], hi = c->p[P_MAX];
                y0[pix] = opt_requant(acc[0], &q0, g->zp_out, lo, hi);
                y0[pix1] = opt_requant(acc[1], &q0, g->zp_out, lo, hi);
                y1[pix] = opt_requant(acc[2], &q1, g->zp_out, lo, hi);
                y1[pix1] = opt_requant(acc[3], &q1, g->zp_out, lo, hi);
            }
        }
    }
}

/* Depthwise 3x3, stride 1, dilation 1: n interior outputs of one row (x = window of the first),
 * two per pass sharing 4 loads per kernel row. Raw int8 products minus zp*sum(w) (zfix).
 * Its own function so the taps and params stay in registers. */
__attribute__((noinline)) static void dw3x3_row(const int8_t *x, int32_t W, const int32_t *k, int32_t n,
                                                uint32_t zfix, const opt_chan_t *q, int32_t zp_out, int32_t lo,
                                                int32_t hi, int8_t *y)
{
    const int32_t k0 = k[0], k1 = k[1], k2 = k[2], k3 = k[3], k4 = k[4], k5 = k[5], k6 = k[6], k7 = k[7], k8 = k[8];
    const opt_chan_t qq = *q;
    const int8_t *r0 = x, *r1 = x + W, *r2 = x + 2 * W;
    int32_t i = 0;
    for (; i + 1 < n; i += 2, r0 += 2, r1 += 2, r2 += 2) {
        int32_t a0 = r0[0], a1 = r0[1], a2 = r0[2], a3 = r0[3];
        uint32_t s0 = (uint32_t)(a0 * k0 + a1 * k1 + a2 * k2), s1 = (uint32_t)(a1 * k0 + a2 * k1 + a3 * k2);
        a0 = r1[0], a1 = r1[1], a2 = r1[2], a3 = r1[3];
        s0 += (uint32_t)(a0 * k3 + a1 * k4 + a2 * k5), s1 += (uint32_t)(a1 * k3 + a2 * k4 + a3 * k5);
        a0 = r2[0], a1 = r2[1], a2 = r2[2], a3 = r2[3];
        s0 += (uint32_t)(a0 * k6 + a1 * k7 + a2 * k8), s1 += (uint32_t)(a1 * k6 + a2 * k7 + a3 * k8);
        y[i] = opt_requant(s0 - zfix, &qq, zp_out, lo, hi);
        y[i + 1] = opt_requant(s1 - zfix, &qq, zp_out, lo, hi);
    }
    if (i < n) {
        uint32_t s0 = (uint32_t)(r0[0] * k0 + r0[1] * k1 + r0[2] * k2 + r1[0] * k3 + r1[1] * k4 + r1[2] * k5 +
                                 r2[0] * k6 + r2[1] * k7 + r2[2] * k8);
        y[i] = opt_requant(s0 - zfix, &qq, zp_out, lo, hi);
    }
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
        uint32_t zfix = (uint32_t)g->zp_in * sumw;
        opt_chan_t q = chan(c, m);
        int32_t lo = c->p[P_MIN], hi = c->p[P_MAX]; /* sum (x-zp)w = sum xw - zp*sum w, mod 2^32 */
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
                if (in && fast3) { /* the whole interior run of this row at once */
                    int32_t n = g->W - 2 - ix0; /* windows that fit from ix0 on */
                    if (n > g->OW - ox) n = g->OW - ox;
                    dw3x3_row(x + (size_t)iy0 * g->W + ix0, g->W, k, n, zfix, &q, g->zp_out, lo, hi,
                              y + oy * g->OW + ox);
                    ox += n;
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
                y[oy * g->OW + ox] = opt_requant(acc, &q, g->zp_out, lo, hi);
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
