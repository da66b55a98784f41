/* CONV2D on Cortex-M4, int8 activations (int16 ones go to the reference kernel). Three paths:
 *  - depthwise 3x3, stride 1 or 2, dilation 1: each input plane is copied once into a scratch plane
 *    padded with the input zero point, so every window is interior; raw int8 products are
 *    summed (the zero point comes off once per channel through the bias: sum (x-zp)w =
 *    sum xw - zp*sum w, mod 2^32), from one word load per kernel row and one (stride 2) or two
 *    (stride 1) outputs (SXTB16 splits it into even/odd pairs: SMLAD takes the outer taps,
 *    SMLAxy the middle one).
 *  - other depthwise kernels (one input channel per group, up to 64 taps): the same padded
 *    plane, 4 taps of a kernel row per word load and two SMLADs where the dilation is 1.
 *    Planes bigger than the scratch go in bands of output rows; only rows wider than the
 *    scratch take a bounds-checked loop.
 *  - everything else: the im2col columns of four output pixels are built in int16 (x - zp,
 *    0 for padding) in the pair order of the weight unpacking, interleaved per pair slot; then
 *    opt_gemm1x4 runs every output channel over them, each unpacked weight pair feeding four
 *    SMLADs, and stores the four requantized results as one word. */
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
    return opt_chan(c->data, c->p[P_BIAS], c->p[P_MULT], c->p[P_SHIFT], (uint32_t)m, c->single_rounding);
}

/* int16 store into the uint32 scratch (memcpy: no aliasing question, one STRH) */
static inline void st16(uint32_t *base, uint32_t hw, uint32_t v)
{
    int16_t h = (int16_t)(uint16_t)v;
    memcpy((uint8_t *)base + 2u * hw, &h, 2);
}

/* Walks the K index of a column in the 4-column layout: halfword offset of value k. */
typedef struct {
    const uint8_t *hw; /* opt_pair_hw */
    uint32_t gbase, blk;
    unsigned i, gsz;
} kpos_t;
static inline uint32_t kpos_next(kpos_t *k)
{
    uint32_t o = k->gbase + k->hw[k->i];
    if (++k->i == k->gsz) k->i = 0, k->gbase += k->blk;
    return o;
}

/* One column (output pixel pix, input channels c0..c0+cg-1) into column slot cc. */
static void im2col_one(const op_ctx_t *c, const geom_t *g, int32_t c0, int32_t pix, unsigned cc, kpos_t kp,
                       uint32_t *cols)
{
    int32_t oy = pix / g->OW, ox = pix % g->OW;
    int32_t iy0 = oy * g->sh - g->pt, ix0 = ox * g->sw - g->pl;
    const int8_t *x = c->x + (size_t)c0 * g->H * g->W;
    for (int32_t ci = 0; ci < g->cg; ci++, x += (size_t)g->H * g->W)
        for (int32_t ky = 0; ky < g->kh; ky++) {
            int32_t iy = iy0 + ky * g->dh;
            bool row_in = iy >= 0 && iy < g->H;
            for (int32_t kx = 0; kx < g->kw; kx++) {
                int32_t ix = ix0 + kx * g->dw;
                int32_t v = (row_in && ix >= 0 && ix < g->W) ? x[(size_t)iy * g->W + ix] - g->zp_in : 0;
                st16(cols, kpos_next(&kp) + 2u * cc, (uint32_t)v);
            }
        }
}

/* Four columns: output pixels pix..pix+3 of one output row (the caller checked). */
static void im2col_row4(const op_ctx_t *c, const geom_t *g, int32_t c0, int32_t pix, kpos_t kp, uint32_t *cols)
{
    int32_t oy = pix / g->OW, ox = pix % g->OW;
    int32_t iy0 = oy * g->sh - g->pt, ix0 = ox * g->sw - g->pl, sw = g->sw, W = g->W, zp = g->zp_in;
    uint32_t nzp = dsp_pack(-zp, -zp);
    const int8_t *x = c->x + (size_t)c0 * g->H * W;
    for (int32_t ci = 0; ci < g->cg; ci++, x += (size_t)g->H * W)
        for (int32_t ky = 0; ky < g->kh; ky++) {
            int32_t iy = iy0 + ky * g->dh;
            if (iy < 0 || iy >= g->H) {
                for (int32_t kx = 0; kx < g->kw; kx++) {
                    uint32_t o = kpos_next(&kp);
                    st16(cols, o, 0), st16(cols, o + 2, 0), st16(cols, o + 4, 0), st16(cols, o + 6, 0);
                }
                continue;
            }
            const int8_t *r = x + (size_t)iy * W;
            for (int32_t kx = 0, ix = ix0; kx < g->kw; kx++, ix += g->dw) {
                uint32_t o = kpos_next(&kp);
                if (sw == 1 && ix >= 0 && ix + 3 < W) { /* one word: 4 pixels' values */
                    uint32_t v = dsp_ld32(r + ix), e02 = dsp_sxtab16(nzp, v), e13 = dsp_sxtab16_ror8(nzp, v);
                    st16(cols, o, e02), st16(cols, o + 2, e13), st16(cols, o + 4, e02 >> 16), st16(cols, o + 6, e13 >> 16);
                    continue;
                }
                if (sw == 2 && ix >= 0 && ix + 7 < W) { /* two words, even bytes */
                    uint32_t e02 = dsp_sxtab16(nzp, dsp_ld32(r + ix)), e46 = dsp_sxtab16(nzp, dsp_ld32(r + ix + 4));
                    st16(cols, o, e02), st16(cols, o + 2, e02 >> 16), st16(cols, o + 4, e46), st16(cols, o + 6, e46 >> 16);
                    continue;
                }
                for (int32_t cc = 0, ixc = ix; cc < 4; cc++, ixc += sw)
                    st16(cols, o + 2u * (uint32_t)cc, (uint32_t)(ixc >= 0 && ixc < W ? r[ixc] - zp : 0));
            }
        }
}

/* 1x1, stride 1, no padding, four pixels of one plane row run: slot by slot, both values of
 * a pair slot are channels, each a word of 4 pixels; PKHBT/PKHTB interleave them. */
static void im2col_pw4(const op_ctx_t *c, const geom_t *g, int32_t c0, int32_t pix, uint32_t *cols)
{
    unsigned lo[8], hi[8], gsz = opt_group(g->bits);
    opt_pair_index(g->bits, lo, hi);
    size_t plane = (size_t)g->H * g->W;
    const int8_t *x = c->x + (size_t)c0 * plane + pix;
    uint32_t nzp = dsp_pack(-g->zp_in, -g->zp_in), zp4 = opt_bytes4(g->zp_in), kc = g->kc;
    for (uint32_t base = 0; base < kc; base += gsz)
        for (unsigned j = 0; j < gsz / 2; j++, cols += 4) {
            uint32_t a = base + lo[j], b = base + hi[j];
            uint32_t u = a < kc ? dsp_ld32(x + a * plane) : zp4, v = b < kc ? dsp_ld32(x + b * plane) : zp4;
            uint32_t u02 = dsp_sxtab16(nzp, u), u13 = dsp_sxtab16_ror8(nzp, u);
            uint32_t v02 = dsp_sxtab16(nzp, v), v13 = dsp_sxtab16_ror8(nzp, v);
            cols[0] = dsp_pkbb(u02, v02), cols[1] = dsp_pkbb(u13, v13);
            cols[2] = dsp_pktt(u02, v02), cols[3] = dsp_pktt(u13, v13);
        }
}

static void conv_general(const op_ctx_t *c, const geom_t *g)
{
    const uint8_t *w = c->data + c->p[P_W];
    uint8_t hw[16];
    opt_pair_hw(g->bits, hw);
    uint32_t gsz = opt_group(g->bits), kpad = (g->kc + gsz - 1) / gsz * gsz;
    kpos_t kp0 = {.hw = hw, .gbase = 0, .blk = 4u * gsz, .i = 0, .gsz = gsz};
    uint32_t *cols = opt_scratch;
    /* the last group's padding values stay 0 in all four columns */
    kpos_t kt = kp0;
    for (uint32_t k = 0; k < kpad; k++) {
        uint32_t o = kpos_next(&kt);
        if (k >= g->kc) st16(cols, o, 0), st16(cols, o + 2, 0), st16(cols, o + 4, 0), st16(cols, o + 6, 0);
    }
    int32_t npix = g->OH * g->OW, groups = g->C / g->cg;
    bool pw = g->kh == 1 && g->kw == 1 && g->sh == 1 && g->sw == 1 && g->pt == 0 && g->pl == 0 &&
              g->OH == g->H && g->OW == g->W;
    opt_gemm_t G = {.data = c->data, .data_end = c->data + c->data_size, .row_bytes = g->row_bytes, .k = g->kc, .bits = g->bits,
                    .bias_off = c->p[P_BIAS], .mult_off = c->p[P_MULT], .shift_off = c->p[P_SHIFT],
                    .zp_out = g->zp_out, .lo = c->p[P_MIN], .hi = c->p[P_MAX], .single = c->single_rounding};
    for (int32_t gi = 0; gi < groups; gi++) {
        G.m0 = (uint32_t)(gi * g->mg);
        G.w = w + (size_t)G.m0 * g->row_bytes;
        for (int32_t pix = 0; pix < npix; pix += 4) {
            int32_t n = npix - pix < 4 ? npix - pix : 4; /* a short block leaves stale columns: unused */
            if (n == 4 && pw)
                im2col_pw4(c, g, gi * g->cg, pix, cols);
            else if (n == 4 && pix % g->OW + 3 < g->OW)
                im2col_row4(c, g, gi * g->cg, pix, kp0, cols);
            else
                for (int32_t cc = 0; cc < n; cc++) im2col_one(c, g, gi * g->cg, pix + cc, (unsigned)cc, kp0, cols);
            opt_gemm1x4(&G, (uint32_t)g->mg, cols, c->y + (size_t)G.m0 * npix + pix, (uint32_t)npix, (uint32_t)n);
        }
    }
}

/* Raw sums of `rows` output rows (n = ow4 each, even) of a 3x3 stride-1 window over the padded
 * plane p (row stride wp), two outputs per pass. Weight pairs: P_r = (k_r0, k_r2); the middle
 * taps in q01 = (k01, k11) and q2 = (k21, -). */
__attribute__((noinline)) static void dw3x3_rows(const int8_t *p, int32_t wp, int32_t n, int32_t rows, uint32_t p0,
                                                 uint32_t p1, uint32_t p2, uint32_t q01, uint32_t q2, uint32_t *sums)
{
    for (; rows > 0; rows--, p += wp) {
        const int8_t *r0 = p, *r1 = p + wp, *r2 = r1 + wp;
        for (uint32_t *end = sums + n; sums < end; sums += 2) {
            uint32_t a = dsp_ld32(r0), e = dsp_sxtb16(a);
            r0 += 2;
            a = dsp_sxtb16_ror8(a);
            uint32_t s0 = dsp_smlabb(a, q01, dsp_smuad(e, p0));
            uint32_t s1 = dsp_smlatb(e, q01, dsp_smuad(a, p0));
            a = dsp_ld32(r1), e = dsp_sxtb16(a);
            r1 += 2;
            a = dsp_sxtb16_ror8(a);
            s0 = dsp_smlabt(a, q01, dsp_smlad(e, p1, s0));
            s1 = dsp_smlatt(e, q01, dsp_smlad(a, p1, s1));
            a = dsp_ld32(r2), e = dsp_sxtb16(a);
            r2 += 2;
            a = dsp_sxtb16_ror8(a);
            s0 = dsp_smlabb(a, q2, dsp_smlad(e, p2, s0));
            s1 = dsp_smlatb(e, q2, dsp_smlad(a, p2, s1));
            sums[0] = s0, sums[1] = s1;
        }
    }
}

/* The same for stride 2: output ox reads bytes 2ox .. 2ox+2, one word: SXTB16 gives (x0, x2)
 * for SMLAD with P_r, SXTB16 ROR 8 gives x1 for the middle tap. */
__attribute__((noinline)) static void dw3x3s2_rows(const int8_t *p, int32_t wp, int32_t n, int32_t rows, uint32_t p0,
                                                   uint32_t p1, uint32_t p2, uint32_t q01, uint32_t q2, uint32_t *sums)
{
    for (; rows > 0; rows--, p += 2 * wp) {
        const int8_t *r0 = p, *r1 = p + wp, *r2 = r1 + wp;
        for (uint32_t *end = sums + n; sums < end; sums++) {
            uint32_t a = dsp_ld32(r0), b = dsp_ld32(r1), d = dsp_ld32(r2);
            r0 += 2, r1 += 2, r2 += 2;
            uint32_t s = dsp_smlabb(dsp_sxtb16_ror8(a), q01, dsp_smuad(dsp_sxtb16(a), p0));
            s = dsp_smlabt(dsp_sxtb16_ror8(b), q01, dsp_smlad(dsp_sxtb16(b), p1, s));
            *sums = dsp_smlabb(dsp_sxtb16_ror8(d), q2, dsp_smlad(dsp_sxtb16(d), p2, s));
        }
    }
}

/* One row of sums -> int8, four per word store; one noinline function per requant form, so
 * each loop gets the registers to itself and the channel's constants stay in them. */
#define DEF_DW_RQ(NAME, F)                                                                          \
    __attribute__((noinline)) static void NAME(const uint32_t *sums, int8_t *y, int32_t n, const opt_chan_t *qp, \
                                               int32_t zp_out, uint32_t lo4, uint32_t hi4)          \
    {                                                                                               \
        const opt_chan_t q = *qp;                                                                   \
        for (int32_t ox = 0; ox + 4 <= n; ox += 4) {                                                \
            uint32_t a0, a1, a2, a3;                                                                \
            DSP_LDM4(sums, a0, a1, a2, a3);                                                         \
            dsp_st32(y + ox, opt_pack4(F(a0, &q, zp_out), F(a1, &q, zp_out), F(a2, &q, zp_out),    \
                                       F(a3, &q, zp_out), lo4, hi4));                               \
        }                                                                                           \
    }
DEF_DW_RQ(dw_rq_r1, opt_rq_r)
DEF_DW_RQ(dw_rq_l1, opt_rq_l)
DEF_DW_RQ(dw_rq_r2, opt_rq2_r)
DEF_DW_RQ(dw_rq_l2, opt_rq2_l)

static void dw_requant_row(const uint32_t *sums, int8_t *y, int32_t n, const opt_chan_t *q, int32_t zp_out,
                           int32_t lo, int32_t hi)
{
    uint32_t lo4 = opt_bytes4(lo), hi4 = opt_bytes4(hi);
    switch (q->mode) {
    case OPT_RQ1_R: dw_rq_r1(sums, y, n, q, zp_out, lo4, hi4); break;
    case OPT_RQ1_L: dw_rq_l1(sums, y, n, q, zp_out, lo4, hi4); break;
    case OPT_RQ2_R: dw_rq_r2(sums, y, n, q, zp_out, lo4, hi4); break;
    default: dw_rq_l2(sums, y, n, q, zp_out, lo4, hi4); break;
    }
    for (int32_t ox = n & ~3; ox < n; ox++) y[ox] = opt_requant(sums[ox], q, zp_out, lo, hi);
}

/* Taps of one depthwise channel for dw_gen_rows, as offsets from the window's first byte in
 * the padded plane: groups of 4 horizontally adjacent taps (dilation 1) read as one word,
 * with the SMLAD pairs (k0,k2), (k1,k3) of its SXTB16 split, and the other taps one by one. */
typedef struct {
    int32_t off;
    uint32_t p02, p13;
} dw_wop_t;
typedef struct {
    int32_t off, k;
} dw_sop_t;
typedef struct {
    int32_t nw, ns;
    dw_wop_t w[DW_MAX_TAPS / 4];
    dw_sop_t s[DW_MAX_TAPS];
} dwk_t;

/* Raw sums of `rows` output rows of n outputs each (any kernel, stride, dilation) over the
 * padded plane p, `step` bytes per output row. */
__attribute__((noinline)) static void dw_gen_rows(const int8_t *p, const dwk_t *K, int32_t n, int32_t rows,
                                                  int32_t step, int32_t sw, uint32_t *sums)
{
    const dw_wop_t *we = K->w + K->nw;
    const dw_sop_t *se = K->s + K->ns;
    for (; rows > 0; rows--, p += step)
        for (const int8_t *b = p, *e = p + n * sw; b < e; b += sw) {
            uint32_t s = 0;
            for (const dw_wop_t *o = K->w; o < we; o++) {
                uint32_t v = dsp_ld32(b + o->off);
                s = dsp_smlad(dsp_sxtb16_ror8(v), o->p13, dsp_smlad(dsp_sxtb16(v), o->p02, s));
            }
            for (const dw_sop_t *o = K->s; o < se; o++) s += (uint32_t)(b[o->off] * o->k);
            *sums++ = s;
        }
}

/* Copies input rows iy0 .. iy0+n-1 of plane x into padded-plane rows 0 .. n-1 (row stride wp,
 * at column pl); rows outside the input are set to the zero point when `clear` (they may hold
 * another band's rows). Columns outside the input keep the zero point the caller filled once. */
static void dw_fill_rows(const geom_t *g, const int8_t *x, int32_t iy0, int32_t n, int8_t *d, int32_t wp, int32_t xn,
                         bool clear)
{
    for (int32_t r = 0; r < n; r++, d += wp) {
        int32_t iy = iy0 + r;
        if (iy < 0 || iy >= g->H) {
            if (clear) memset(d, g->zp_in, (size_t)wp);
            continue;
        }
        const int8_t *src = x + (size_t)iy * g->W;
        int8_t *dst = d + g->pl;
        int32_t i = 0;
        for (; i + 4 <= xn; i += 4) dsp_st32(dst + i, dsp_ld32(src + i)); /* words, then the last bytes */
        for (; i < xn; i++) dst[i] = src[i];
    }
}

/* Depthwise through a zero-point-padded plane, in bands of output rows sized to the scratch
 * (the whole plane at once when it fits, copied once per input channel): 3x3 stride 1 or 2
 * (both axes) with dilation 1 on the dedicated row kernels, any other kernel up to
 * DW_MAX_TAPS taps on dw_gen_rows. False when not even one output row fits the scratch. */
static bool dw_padded(const op_ctx_t *c, const geom_t *g)
{
    bool k3 = g->kh == 3 && g->kw == 3 && g->dh == 1 && g->dw == 1 && g->sh == g->sw && g->sh <= 2;
    int32_t ow4 = (g->OW + 3) & ~3, ext = (g->kh - 1) * g->dh + 1; /* input rows of one output row */
    /* +4: the 3x3 kernels and the word groups read up to 3 bytes past their last tap */
    int64_t wp = (int64_t)(ow4 - 1) * g->sw + (int64_t)(g->kw - 1) * g->dw + 1 + 4;
    /* R output rows need (R-1)*sh + ext plane rows and R rows of sums: largest R that fits */
    int64_t per_row = (int64_t)g->sh * wp + 4 * (int64_t)ow4, fixed = (int64_t)(ext - g->sh) * wp + 8;
    int64_t fit = ((int64_t)OPT_SCRATCH_BYTES - fixed) / per_row;
    if (fit < 1) return false;
    int32_t band = fit < g->OH ? (int32_t)fit : g->OH, wpi = (int32_t)wp;
    int32_t hb = (band - 1) * g->sh + ext; /* plane rows of a band */
    uint32_t plane_bytes = ((uint32_t)hb * (uint32_t)wpi + 3u) & ~3u;
    int8_t *pp = (int8_t *)opt_scratch;
    uint32_t *sums = opt_scratch + plane_bytes / 4;
    memset(pp, g->zp_in, plane_bytes); /* the padding: x - zp = 0 there */
    int32_t xn = g->W < wpi - g->pl ? g->W : wpi - g->pl; /* input columns inside the plane */
    const uint8_t *wbase = c->data + c->p[P_W];
    int32_t lo = c->p[P_MIN], hi = c->p[P_MAX], npix = g->OH * g->OW, plane = -1, taps = g->kh * g->kw;
    static dwk_t K; /* static like the scratch (ops run one at a time): keeps 700 bytes off the stack */
    for (int32_t m = 0; m < g->M; m++) {
        const int8_t *x = c->x + (size_t)(m / g->mg) * g->H * g->W;
        if (band == g->OH && m / g->mg != plane) { /* one band: the whole plane, once per input channel */
            plane = m / g->mg;
            dw_fill_rows(g, x, -g->pt, hb, pp, wpi, xn, false);
        }
        const uint8_t *row = wbase + (size_t)m * g->row_bytes;
        int32_t k[DW_MAX_TAPS];
        uint32_t sumw = 0;
        for (int32_t t = 0; t < taps; t++) k[t] = w_get(row, (uint32_t)t, g->bits), sumw += (uint32_t)k[t];
        opt_chan_t q = chan(c, m);
        q.bias = (int32_t)((uint32_t)q.bias - (uint32_t)g->zp_in * sumw);
        uint32_t p0 = 0, p1 = 0, p2 = 0, q01 = 0, q2 = 0;
        if (k3)
            p0 = dsp_pack(k[0], k[2]), p1 = dsp_pack(k[3], k[5]), p2 = dsp_pack(k[6], k[8]),
            q01 = dsp_pack(k[1], k[4]), q2 = dsp_pack(k[7], 0);
        else {
            K.nw = K.ns = 0;
            for (int32_t ky = 0; ky < g->kh; ky++) {
                const int32_t *kr = k + ky * g->kw;
                int32_t off = ky * g->dh * wpi, kx = 0;
                for (; g->dw == 1 && kx + 4 <= g->kw; kx += 4)
                    K.w[K.nw++] = (dw_wop_t){off + kx, dsp_pack(kr[kx], kr[kx + 2]), dsp_pack(kr[kx + 1], kr[kx + 3])};
                for (; kx < g->kw; kx++) K.s[K.ns++] = (dw_sop_t){off + kx * g->dw, kr[kx]};
            }
        }
        int8_t *y = c->y + (size_t)m * npix;
        for (int32_t oy = 0; oy < g->OH; oy += band) {
            int32_t rows = g->OH - oy < band ? g->OH - oy : band;
            if (band < g->OH) dw_fill_rows(g, x, oy * g->sh - g->pt, (rows - 1) * g->sh + ext, pp, wpi, xn, true);
            if (!k3)
                dw_gen_rows(pp, &K, ow4, rows, g->sh * wpi, g->sw, sums);
            else if (g->sh == 1)
                dw3x3_rows(pp, wpi, ow4, rows, p0, p1, p2, q01, q2, sums);
            else
                dw3x3s2_rows(pp, wpi, ow4, rows, p0, p1, p2, q01, q2, sums);
            if (ow4 == g->OW) /* sums and outputs both contiguous: one run */
                dw_requant_row(sums, y + oy * g->OW, rows * g->OW, &q, g->zp_out, lo, hi);
            else
                for (int32_t r = 0; r < rows; r++)
                    dw_requant_row(sums + r * ow4, y + (oy + r) * g->OW, g->OW, &q, g->zp_out, lo, hi);
        }
    }
    return true;
}

static void conv_depthwise(const op_ctx_t *c, const geom_t *g)
{
    const uint8_t *wbase = c->data + c->p[P_W];
    int32_t taps = g->kh * g->kw;
    int32_t k[DW_MAX_TAPS];
    for (int32_t m = 0; m < g->M; m++) {
        const uint8_t *row = wbase + (size_t)m * g->row_bytes;
        for (int32_t t = 0; t < taps; t++) k[t] = w_get(row, (uint32_t)t, g->bits);
        opt_chan_t q = chan(c, m);
        int32_t lo = c->p[P_MIN], hi = c->p[P_MAX];
        const int8_t *x = c->x + (size_t)(m / g->mg) * g->H * g->W;
        int8_t *y = c->y + (size_t)m * g->OH * g->OW;
        for (int32_t oy = 0; oy < g->OH; oy++) {
            int32_t iy0 = oy * g->sh - g->pt;
            for (int32_t ox = 0; ox < g->OW; ox++) {
                int32_t ix0 = ox * g->sw - g->pl;
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
            }
        }
    }
}

bool opt_conv2d_run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8) return false; /* int16: reference */
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
    if (g.cg == 1 && g.kh * g.kw <= DW_MAX_TAPS && dw_padded(c, &g)) return true;
    if (g.cg == 1 && g.kh * g.kw <= DW_MAX_TAPS) {
        conv_depthwise(c, &g); /* any bit width: weights are unpacked once per channel */
        return true;
    }
    if (!opt_k_ok(g.kc, g.bits, FW_OPT_MAX_K)) return false; /* 4 columns of kc int16 */
    conv_general(c, &g);
    return true;
}
