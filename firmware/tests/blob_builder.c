#include "blob_builder.h"

#include <string.h>

static void w16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void w32(uint8_t *p, uint32_t v) { w16(p, v); w16(p + 2, v >> 16); }

size_t bt_build(uint8_t *out, size_t cap, const bt_tensor_t *t, int nt, const bt_op_t *ops,
                int nops, uint16_t input, uint16_t output, uint32_t arena, const uint8_t *data,
                uint32_t data_len)
{
    return bt_build_x(out, cap, t, nt, ops, 0, nops, input, output, arena, data, data_len);
}

size_t bt_build_x(uint8_t *out, size_t cap, const bt_tensor_t *t, int nt, const bt_op_t *ops,
                  const bt_extra_t *extra, int nops, uint16_t input, uint16_t output, uint32_t arena,
                  const uint8_t *data, uint32_t data_len)
{
    static const bt_extra_t none = {0, {0, 0, 0}};
    size_t tens_off = 32, ops_off = tens_off + 16u * (size_t)nt, off = ops_off;
    for (int i = 0; i < nops; i++) {
        uint32_t n_t = 2u + (extra ? extra[i] : none).n_extra;
        off += 4 + 2 * (n_t + (n_t & 1)) + 4u * ops[i].n_params; /* odd count: one u16 pad */
    }
    size_t data_off = off, total = data_off + data_len;
    if (total > cap) return 0;
    memset(out, 0, total);
    w32(out, 0x424D4145u);
    w16(out + 4, 1);
    w16(out + 6, 32);
    w16(out + 8, (uint32_t)nt);
    w16(out + 10, (uint32_t)nops);
    w16(out + 12, input);
    w16(out + 14, output);
    w32(out + 16, arena);
    w32(out + 20, (uint32_t)tens_off);
    w32(out + 24, (uint32_t)ops_off);
    w32(out + 28, (uint32_t)data_off);
    for (int i = 0; i < nt; i++) {
        uint8_t *r = out + tens_off + 16u * (size_t)i;
        r[0] = t[i].dtype;
        r[1] = t[i].rank;
        for (int d = 0; d < 4; d++) w16(r + 2 + 2 * d, t[i].dims[d] ? t[i].dims[d] : 1);
        w16(r + 10, (uint16_t)t[i].zp);
        w32(r + 12, t[i].offset);
    }
    uint8_t *r = out + ops_off;
    for (int i = 0; i < nops; i++) {
        uint32_t n_in = 1u + (extra ? extra[i] : none).n_extra, n_t = n_in + 1;
        r[0] = ops[i].type; r[1] = (uint8_t)n_in; r[2] = 1; r[3] = ops[i].n_params;
        w16(r + 4, ops[i].in);
        for (uint32_t j = 0; j < (extra ? extra[i] : none).n_extra; j++) w16(r + 6 + 2 * j, (extra ? extra[i] : none).extra[j]);
        w16(r + 4 + 2 * n_in, ops[i].out);
        uint8_t *pp = r + 4 + 2 * (n_t + (n_t & 1));
        for (int p = 0; p < ops[i].n_params; p++) w32(pp + 4 * p, (uint32_t)ops[i].p[p]);
        r = pp + 4 * ops[i].n_params;
    }
    memcpy(out + data_off, data, data_len);
    return total;
}

size_t bt_pack(const int8_t *w, int rows, int k, int bits, uint8_t *out)
{
    size_t row_bytes = ((size_t)k * bits + 7) / 8;
    memset(out, 0, row_bytes * rows);
    for (int r = 0; r < rows; r++)
        for (int i = 0; i < k; i++) {
            uint32_t v = (uint32_t)(uint8_t)w[r * k + i] & ((1u << bits) - 1);
            for (int b = 0; b < bits; b++) {
                size_t bit = (size_t)i * bits + b;
                if (v >> b & 1) out[r * row_bytes + bit / 8] |= (uint8_t)(1u << (bit % 8));
            }
        }
    return row_bytes * rows;
}

uint32_t bt_data_bytes(bt_data_t *d, const void *p, uint32_t n)
{
    d->len = (d->len + 3) & ~3u;
    uint32_t off = d->len;
    memcpy(d->buf + off, p, n);
    d->len += n;
    return off;
}

uint32_t bt_data_i32(bt_data_t *d, const int32_t *v, uint32_t n)
{
    d->len = (d->len + 3) & ~3u;
    uint32_t off = d->len;
    for (uint32_t i = 0; i < n; i++) w32(d->buf + off + 4 * i, (uint32_t)v[i]);
    d->len += 4 * n;
    return off;
}

size_t bt_demo_model(uint8_t *out, size_t cap)
{
    static bt_data_t d;
    d.len = 0;
    /* conv: 1 -> 2 channels, 3x3, pad 1, 4-bit */
    int8_t cw[2 * 9];
    for (int i = 0; i < 18; i++) cw[i] = (int8_t)((i * 5) % 15 - 7);
    uint8_t packed[64];
    size_t pn = bt_pack(cw, 2, 9, 4, packed);
    uint32_t c_w = bt_data_bytes(&d, packed, (uint32_t)pn);
    int32_t cb[2] = {10, -20}, cm[2] = {1 << 30, 1518500250}, cs[2] = {-2, -3};
    uint32_t c_b = bt_data_i32(&d, cb, 2), c_m = bt_data_i32(&d, cm, 2), c_s = bt_data_i32(&d, cs, 2);
    /* fc: 18 -> 3, 8-bit */
    int8_t fw[3 * 18];
    for (int i = 0; i < 54; i++) fw[i] = (int8_t)((i * 37) % 255 - 127);
    uint32_t f_w = bt_data_bytes(&d, fw, sizeof fw);
    int32_t fb[3] = {-300, 0, 450}, fm[3] = {1 << 30, 1 << 30, 1 << 30}, fs[3] = {-6, -5, -7};
    uint32_t f_b = bt_data_i32(&d, fb, 3), f_m = bt_data_i32(&d, fm, 3), f_s = bt_data_i32(&d, fs, 3);
    bt_tensor_t t[6] = {
        {1, 3, {1, 6, 6, 1}, -3, 0},    /* input */
        {1, 3, {2, 6, 6, 1}, 5, 64},    /* conv out */
        {1, 3, {2, 3, 3, 1}, 5, 160},   /* pool out */
        {1, 1, {18, 1, 1, 1}, 5, 192},  /* flattened */
        {1, 1, {3, 1, 1, 1}, -1, 40},   /* fc out */
        {1, 1, {3, 1, 1, 1}, -1, 44},   /* clamped */
    };
    bt_op_t ops[5] = {
        {2, 0, 1, 16, {4, 3, 3, 1, 1, 1, 1, 1, 1, 1, -128, 127, (int32_t)c_w, (int32_t)c_b, (int32_t)c_m, (int32_t)c_s}},
        {3, 1, 2, 6, {2, 2, 2, 2, 0, 0}},
        {6, 2, 3, 0, {0}},
        {1, 3, 4, 9, {8, 18, 3, -128, 127, (int32_t)f_w, (int32_t)f_b, (int32_t)f_m, (int32_t)f_s}},
        {5, 4, 5, 2, {-100, 100}},
    };
    return bt_build(out, cap, t, 6, ops, 5, 0, 5, 212, d.buf, d.len);
}
