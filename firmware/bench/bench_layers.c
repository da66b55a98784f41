#include "bench_layers.h"

#include <string.h>
#include "kernels/weights.h"

#define DATA_BYTES 32768u
#define ACT_BYTES 16384u

static uint8_t g_data[DATA_BYTES] __attribute__((aligned(4)));
static int8_t g_x[ACT_BYTES] __attribute__((aligned(4)));
int8_t bl_out_a[ACT_BYTES] __attribute__((aligned(4)));
int8_t bl_out_b[ACT_BYTES] __attribute__((aligned(4)));

uint32_t bl_rand(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static int32_t rnd(uint32_t *s, int32_t lo, int32_t hi) /* inclusive */
{
    return lo + (int32_t)(bl_rand(s) % (uint32_t)(hi - lo + 1));
}

static void put_i32(uint32_t off, int32_t v) { memcpy(g_data + off, &v, 4); }

static tensor_info_t tensor(int32_t c, int32_t h, int32_t w, int16_t zp, uint8_t rank)
{
    tensor_info_t t = {0};
    t.dtype = DTYPE_INT8;
    t.rank = rank;
    t.dims[0] = (uint16_t)c, t.dims[1] = (uint16_t)h, t.dims[2] = (uint16_t)w, t.dims[3] = 1;
    t.zero_point = zp;
    t.count = t.bytes = (uint32_t)(c * h * w);
    return t;
}

bool bl_make(bl_layer_t *L, const bl_spec_t *s, uint32_t *rng)
{
    memset(L, 0, sizeof *L);
    op_ctx_t *c = &L->ctx;
    int32_t oh = 1, ow = 1, kc = s->C;
    if (!s->fc) {
        oh = (s->H + 2 * s->pad - s->dil * (s->kh - 1) - 1) / s->stride + 1;
        ow = (s->W + 2 * s->pad - s->dil * (s->kw - 1) - 1) / s->stride + 1;
        kc = s->C / s->group * s->kh * s->kw;
    }
    uint32_t in_n = (uint32_t)(s->fc ? s->C : s->C * s->H * s->W), out_n = (uint32_t)(s->M * oh * ow);
    uint32_t rb = (uint32_t)w_row_bytes((uint64_t)kc, s->bits);
    uint32_t w_bytes = (rb * (uint32_t)s->M + 3u) & ~3u;
    uint32_t need = w_bytes + 12u * (uint32_t)s->M;
    if (in_n > ACT_BYTES || out_n > ACT_BYTES || need > DATA_BYTES || oh < 1 || ow < 1) return false;

    int16_t zp_in = (int16_t)rnd(rng, -128, 127), zp_out = (int16_t)rnd(rng, -20, 20);
    for (uint32_t i = 0; i < in_n; i++) g_x[i] = (int8_t)rnd(rng, -128, 127);
    /* weights: valid b-bit values, packed as MODEL_FORMAT.md (rows on byte boundaries) */
    memset(g_data, 0, w_bytes);
    int32_t wmax = (1 << (s->bits - 1)) - 1;
    for (int32_t m = 0; m < s->M; m++)
        for (int32_t k = 0; k < kc; k++) {
            uint32_t v = (uint32_t)rnd(rng, -wmax, wmax) & ((1u << s->bits) - 1u);
            uint32_t bit = (uint32_t)m * rb * 8u + (uint32_t)k * s->bits;
            for (unsigned b = 0; b < s->bits; b++, bit++)
                if (v >> b & 1u) g_data[bit / 8] |= (uint8_t)(1u << (bit % 8));
        }
    uint32_t bias_off = w_bytes, mult_off = bias_off + 4u * (uint32_t)s->M, shift_off = mult_off + 4u * (uint32_t)s->M;
    /* Requant chosen so outputs spread over the int8 range: M ~ 2^-(log2 of the sum's size);
     * one channel in eight gets a bias near INT32 limits, so wrapping paths are compared too. */
    int32_t lg = 7 + (s->bits - 1) + 1;
    for (int32_t v = kc; v > 1; v >>= 2) lg++;
    for (int32_t m = 0; m < s->M; m++) {
        int32_t bias = (bl_rand(rng) & 7u) == 0 ? (int32_t)bl_rand(rng) : rnd(rng, -4096, 4096);
        put_i32(bias_off + 4u * (uint32_t)m, bias);
        int32_t mult = rnd(rng, 1 << 30, 0x7FFFFFFF), shift = -lg + 7 + rnd(rng, -2, 2);
        if ((bl_rand(rng) & 7u) == 0) { /* the requantizer's whole domain: left shifts, 31-bit right shifts, mult 0 */
            uint32_t r = bl_rand(rng);
            /* 2^31 - 1 one time in 32 (bench figures stay comparable: same random stream) */
            uint32_t v = (r & 3u) >= 2 ? bl_rand(rng) : 0;
            mult = (r & 3u) == 0 ? 0 : (r & 3u) == 1 ? 1 << 30 : (v & 15u) == 0 ? 0x7FFFFFFF : (int32_t)(v >> 2);
            shift = rnd(rng, -31, 30);
        }
        put_i32(mult_off + 4u * (uint32_t)m, mult);
        put_i32(shift_off + 4u * (uint32_t)m, shift);
    }
    c->data = g_data;
    c->data_size = need;
    c->x = g_x;
    c->y = bl_out_a;
    c->n_in = 1;
    int32_t *p = c->p;
    if (s->fc) {
        c->in = tensor(s->C, 1, 1, zp_in, 1);
        c->out = tensor(s->M, 1, 1, zp_out, 1);
        int32_t q[9] = {(int32_t)s->bits, s->C, s->M, -128, 127, 0, (int32_t)bias_off, (int32_t)mult_off, (int32_t)shift_off};
        memcpy(p, q, sizeof q);
        L->k = &k_fully_connected;
    } else {
        c->in = tensor(s->C, s->H, s->W, zp_in, 3);
        c->out = tensor(s->M, oh, ow, zp_out, 3);
        int32_t lo = (bl_rand(rng) & 1u) ? zp_out : -128; /* half the layers with a fused ReLU */
        int32_t q[16] = {(int32_t)s->bits, s->kh, s->kw, s->stride, s->stride, s->pad, s->pad, s->dil, s->dil,
                         s->group, lo, 127, 0, (int32_t)bias_off, (int32_t)mult_off, (int32_t)shift_off};
        memcpy(p, q, sizeof q);
        L->k = &k_conv2d;
    }
    c->ins[0] = c->in;
    c->xs[0] = c->x;
    L->out_bytes = out_n;
    op_cost_t cost;
    const op_ctx_t chk = {.in = c->in, .out = c->out, .n_in = 1, .data = c->data, .data_size = c->data_size,
                          .ins = {c->in}};
    op_ctx_t tmp = chk;
    memcpy(tmp.p, p, sizeof tmp.p);
    if (L->k->check(&tmp, &cost) != 0) return false;
    L->macs = cost.macs;
    return true;
}

void bl_random_spec(bl_spec_t *s, uint32_t *rng)
{
    static const unsigned bits[] = {8, 4, 2, 3, 8, 4, 2, 3, 5, 6, 7};
    memset(s, 0, sizeof *s);
    s->bits = bits[bl_rand(rng) % (sizeof bits / sizeof bits[0])];
    s->fc = (bl_rand(rng) % 3u) == 0;
    if (s->fc) {
        s->C = rnd(rng, 1, 700);
        s->M = rnd(rng, 1, 23);
        if (bl_rand(rng) % 16u == 0) /* long rows, up to the optimized FC's limit (8240) */
            s->C = rnd(rng, 2000, 8240), s->M = rnd(rng, 1, 3);
        return;
    }
    s->kh = rnd(rng, 1, 5);
    s->kw = (bl_rand(rng) & 1u) ? s->kh : rnd(rng, 1, 5);
    s->stride = rnd(rng, 1, 3);
    s->dil = (bl_rand(rng) % 4u) == 0 ? 2 : 1;
    s->pad = rnd(rng, 0, (s->kh < s->kw ? s->kh : s->kw) - 1);
    s->H = rnd(rng, s->dil * (s->kh - 1) + 1, 14);
    s->W = rnd(rng, s->dil * (s->kw - 1) + 1, 14);
    switch (bl_rand(rng) % 3u) {
    case 0: /* depthwise, depth multiplier 1 or 2 */
        s->C = s->group = rnd(rng, 1, 12);
        s->M = s->C * rnd(rng, 1, 2);
        break;
    case 1: /* grouped */
        s->group = rnd(rng, 1, 3);
        s->C = s->group * rnd(rng, 2, 6);
        s->M = s->group * rnd(rng, 1, 5);
        break;
    default:
        s->group = 1;
        s->C = rnd(rng, 1, 24);
        s->M = rnd(rng, 1, 13);
        break;
    }
}

void bl_random_dw3_spec(bl_spec_t *s, uint32_t *rng)
{
    static const unsigned bits[] = {8, 4, 3, 2, 5, 6, 7};
    memset(s, 0, sizeof *s);
    s->bits = bits[bl_rand(rng) % (sizeof bits / sizeof bits[0])];
    s->kh = s->kw = 3;
    s->dil = 1;
    s->stride = rnd(rng, 1, 2);
    s->pad = rnd(rng, 0, 2);
    s->H = rnd(rng, 3 - 2 * s->pad > 1 ? 3 - 2 * s->pad : 1, 21);
    s->W = rnd(rng, 3 - 2 * s->pad > 1 ? 3 - 2 * s->pad : 1, 21);
    s->C = s->group = rnd(rng, 1, 6);
    s->M = s->C * rnd(rng, 1, 3);
    uint32_t r = bl_rand(rng) % 16u;
    if (r < 2) { /* big planes: the sums no longer fit the scratch in one pass */
        s->H = rnd(rng, 40, 90), s->W = rnd(rng, 40, 90);
        s->C = s->group = s->M = 16384 / (s->H * s->W) < 2 ? 1 : 2;
    } else if (r == 2) { /* a plane bigger than the scratch: bands of output rows */
        s->H = s->W = 128, s->pad = 1;
        s->C = s->group = s->M = 1;
    } else if (r == 3) { /* 81 taps, more than the padded-plane path takes: the bounds-checked loop */
        s->kh = s->kw = 9, s->pad = rnd(rng, 0, 4);
        s->H = rnd(rng, 9, 20), s->W = rnd(rng, 9, 20);
    }
}
