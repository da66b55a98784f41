/* int16 activations (MODEL_FORMAT.md, dtype 2): the int64 requantisation, hand-computed int16
 * FC and LUT cases, a property that the mixed-dtype kernels agree with the int8 kernels where
 * both can hold the values, and the loader's int16 refusals. Also format 2's single-rounding
 * requantisation (q_mbqm1) against format 1's double rounding. */
#include <stdlib.h>
#include "check.h"
#include "blob_builder.h"
#include "fake_hal.h"
#include "kernels/kernels.h"
#include "model.h"
#include "quant.h"
#include "runtime.h"

static uint8_t g_blob[70000];
static bt_data_t g_d;

static uint32_t tensor_bytes(const bt_tensor_t *t)
{
    uint32_t n = 1;
    for (int d = 0; d < 4; d++) n *= t->dims[d] ? t->dims[d] : 1;
    return n * (t->dtype == DTYPE_INT16 ? 2u : 1u);
}

static uint32_t arena_of(const bt_tensor_t *t, int nt)
{
    uint32_t a = 0;
    for (int i = 0; i < nt; i++)
        if (t[i].offset + tensor_bytes(&t[i]) > a) a = t[i].offset + tensor_bytes(&t[i]);
    return (a + 3) & ~3u;
}

/* One-op model, tensor 0 the input (raw little-endian bytes), the last the output. */
static uint16_t g_version = 1; /* format_version written over the builder's header */

static const uint8_t *run1(const bt_tensor_t *t, int nt, const bt_op_t *op, const void *x)
{
    size_t n = bt_build_x(g_blob, sizeof g_blob, t, nt, op, 0, 1, 0, (uint16_t)(nt - 1), arena_of(t, nt), g_d.buf, g_d.len);
    g_blob[4] = (uint8_t)g_version;
    g_blob[5] = 0;
    static model_t m;
    model_error_t err = {0};
    if (!model_load(&m, g_blob, (uint32_t)n, 65536, &err)) {
        fprintf(stderr, "load failed: op %u: %s\n", err.detail, err.reason);
        CHECK(0);
        return 0;
    }
    uint8_t *a = model_arena();
    memcpy(a + t[0].offset, x, tensor_bytes(&t[0]));
    runtime_invoke(&m);
    return a + t[nt - 1].offset;
}

static const char *load_error(const bt_tensor_t *t, int nt, const bt_op_t *op)
{
    size_t n = bt_build_x(g_blob, sizeof g_blob, t, nt, op, 0, 1, 0, (uint16_t)(nt - 1), arena_of(t, nt), g_d.buf, g_d.len);
    static model_t m;
    model_error_t err = {0};
    return model_load(&m, g_blob, (uint32_t)n, 65536, &err) ? 0 : err.reason;
}

static int16_t get16(const uint8_t *p, uint32_t i) { return (int16_t)(uint16_t)(p[2 * i] | (p[2 * i + 1] << 8)); }

static uint32_t put_i64(bt_data_t *d, const int64_t *v, uint32_t n)
{
    d->len = (d->len + 7) & ~7u;
    uint32_t off = d->len;
    for (uint32_t i = 0; i < n; i++)
        for (int b = 0; b < 8; b++) d->buf[off + 8 * i + b] = (uint8_t)((uint64_t)v[i] >> (8 * b));
    d->len += 8 * n;
    return off;
}

static void test_mbqm64(void)
{
    /* M = 0.5: mult 2^30 -> m15 = 2^14, shift 0 -> t = 15. Halves round up (toward +inf). */
    CHECK_EQ(q_mbqm64(3, 1 << 30, 0), 2);
    CHECK_EQ(q_mbqm64(-3, 1 << 30, 0), -1);
    CHECK_EQ(q_mbqm64(-4, 1 << 30, 0), -2);
    /* M = 0.75 * 2^-19: mult 0.75 * 2^31, shift -19; x = 2^40 -> 0.75 * 2^21 */
    CHECK_EQ(q_mbqm64((int64_t)1 << 40, 1610612736, -19), 1572864);
    /* The top multiplier reduces to 0x7FFF, not 0x8000. */
    CHECK_EQ(q_mbqm64(1 << 15, 0x7FFFFFFF, 0), 32767);
    /* Saturation to int32. */
    CHECK_EQ(q_mbqm64((int64_t)1 << 46, 0x7FFFFFFF, 14), INT32_MAX);
    CHECK_EQ(q_mbqm64(-((int64_t)1 << 46), 0x7FFFFFFF, 14), INT32_MIN);
}

static void test_fc_int16(void)
{
    g_d.len = 0;
    /* x = {1000, -2000, 3000}; w = {1, 2, 3}, {-1, 0, 127}; bias {100, -5}; M = 0.5:
     * acc0 = 100 + 1000 - 4000 + 9000 = 6100 -> 3050;
     * acc1 = -5 - 1000 + 381000 = 379995 -> 189997.5 -> clamped to 32767. */
    int8_t w[6] = {1, 2, 3, -1, 0, 127};
    uint8_t packed[8];
    size_t pn = bt_pack(w, 2, 3, 8, packed);
    uint32_t wo = bt_data_bytes(&g_d, packed, (uint32_t)pn);
    int64_t bias[2] = {100, -5};
    uint32_t bo = put_i64(&g_d, bias, 2);
    int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {0, 0};
    uint32_t mo = bt_data_i32(&g_d, mult, 2), so = bt_data_i32(&g_d, shift, 2);
    bt_tensor_t t[2] = {{2, 1, {3, 1, 1, 1}, 0, 0}, {2, 1, {2, 1, 1, 1}, 0, 8}};
    bt_op_t op = {1, 0, 1, 9, {8, 3, 2, -32768, 32767, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
    uint8_t x[6] = {0xE8, 0x03, 0x30, 0xF8, 0xB8, 0x0B}; /* 1000, -2000, 3000 */
    const uint8_t *y = run1(t, 2, &op, x);
    if (y) {
        CHECK_EQ(get16(y, 0), 3050);
        CHECK_EQ(get16(y, 1), 32767);
    }
    /* int16 input: shift above 14 is refused (int64 requantisation range). */
    shift[1] = 15;
    op.p[8] = (int32_t)bt_data_i32(&g_d, shift, 2);
    CHECK(load_error(t, 2, &op) != 0);
    op.p[8] = (int32_t)so;
    /* an int16 zero point other than 0 is refused */
    t[0].zp = 1;
    CHECK(load_error(t, 2, &op) != 0);
    t[0].zp = 0;
    /* act range outside int16 */
    op.p[3] = -32769;
    CHECK(load_error(t, 2, &op) != 0);
    op.p[3] = -32768;
    /* the i64 bias must lie inside the data section */
    op.p[6] = (int32_t)g_d.len - 12;
    CHECK(load_error(t, 2, &op) != 0);
}

static void test_lut_int16(void)
{
    g_d.len = 0;
    /* t[i] = i - 256: y = x/128 by interpolation, rounded half up. */
    uint8_t table[2 * 513];
    for (int i = 0; i < 513; i++) { table[2 * i] = (uint8_t)(i - 256); table[2 * i + 1] = (uint8_t)((uint16_t)(i - 256) >> 8); }
    uint32_t to = bt_data_bytes(&g_d, table, sizeof table);
    bt_tensor_t t[2] = {{2, 1, {5, 1, 1, 1}, 0, 0}, {2, 1, {5, 1, 1, 1}, 0, 12}};
    bt_op_t op = {8, 0, 1, 1, {(int32_t)to}};
    int16_t xv[5] = {200, -200, -32768, 32767, 64};
    uint8_t x[10];
    for (int i = 0; i < 5; i++) { x[2 * i] = (uint8_t)xv[i]; x[2 * i + 1] = (uint8_t)((uint16_t)xv[i] >> 8); }
    const uint8_t *y = run1(t, 2, &op, x);
    int16_t e[5] = {2, -2, -256, 256, 1}; /* 1.5625, -1.5625, -256, 255.99, 0.5 */
    if (y)
        for (int i = 0; i < 5; i++) CHECK_EQ(get16(y, (uint32_t)i), e[i]);
    /* int16 -> int8: the interpolated value is clamped to int8. */
    t[1].dtype = DTYPE_INT8;
    y = run1(t, 2, &op, x);
    if (y) {
        CHECK_EQ((int8_t)y[2], -128);
        CHECK_EQ((int8_t)y[3], 127);
        CHECK_EQ((int8_t)y[0], 2);
    }
    /* table one entry short of the data section */
    g_d.len = to + 2 * 512;
    CHECK(load_error(t, 2, &op) != 0);
    g_d.len = to + sizeof table;
    /* int8 -> int16 exactly in place would overwrite inputs not yet read */
    bt_tensor_t tp[2] = {{1, 1, {5, 1, 1, 1}, 0, 0}, {2, 1, {5, 1, 1, 1}, 0, 0}};
    CHECK(load_error(tp, 2, &op) != 0);
}

/* Random FC and CONV layers with an int8 input: the int8-output kernel and the mixed kernel
 * (int16 output, act range -128..127) must give the same values. The int8 kernel is the one
 * the Cortex-M ports optimise, so this ties the new path to the established one. */
static void test_int8_and_int16_outputs_agree(void)
{
    srand(16);
    int cases = 0;
    for (int iter = 0; iter < 200; iter++) {
        g_d.len = 0;
        int is_conv = iter & 1, bits = 2 + rand() % 7;
        int C = 1 + rand() % 3, H = 1 + rand() % 5, W = 1 + rand() % 5, M = 1 + rand() % 4;
        int kh = 1 + rand() % (H < 3 ? H : 3), kw = 1 + rand() % (W < 3 ? W : 3);
        int K = is_conv ? C * kh * kw : C * H * W, N = is_conv ? M : 1 + rand() % 6;
        int OH = H - kh + 1, OW = W - kw + 1;
        int qmax = (1 << (bits - 1)) - 1;
        int8_t w[6 * 75];
        for (int i = 0; i < N * K; i++) w[i] = (int8_t)(rand() % (2 * qmax + 1) - qmax);
        uint8_t packed[6 * 75];
        size_t pn = bt_pack(w, N, K, bits, packed);
        uint32_t wo = bt_data_bytes(&g_d, packed, (uint32_t)pn);
        int32_t bias[6], mult[6], shift[6];
        for (int i = 0; i < N; i++) {
            bias[i] = rand() % 2001 - 1000;
            mult[i] = (1 << 30) + rand() % (1 << 30);
            shift[i] = -(rand() % 10);
        }
        uint32_t bo = bt_data_i32(&g_d, bias, (uint32_t)N), mo = bt_data_i32(&g_d, mult, (uint32_t)N), so = bt_data_i32(&g_d, shift, (uint32_t)N);
        int16_t zin = (int16_t)(rand() % 256 - 128), zout = (int16_t)(rand() % 256 - 128);
        bt_tensor_t t8[2] = {{1, 3, {(uint16_t)C, (uint16_t)H, (uint16_t)W, 1}, zin, 0}, {1, 1, {(uint16_t)N, 1, 1, 1}, zout, 128}};
        if (is_conv) { t8[1].rank = 3; t8[1].dims[1] = (uint16_t)OH; t8[1].dims[2] = (uint16_t)OW; }
        bt_op_t op;
        if (is_conv) {
            bt_op_t o = {2, 0, 1, 16, {bits, kh, kw, 1, 1, 0, 0, 1, 1, 1, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
            op = o;
        } else {
            bt_op_t o = {1, 0, 1, 9, {bits, K, N, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
            op = o;
        }
        int8_t x[75];
        for (int i = 0; i < C * H * W; i++) x[i] = (int8_t)(rand() % 256 - 128);
        uint32_t nout = is_conv ? (uint32_t)(M * OH * OW) : (uint32_t)N;
        uint8_t y8[128];
        const uint8_t *y = run1(t8, 2, &op, x);
        if (!y) continue;
        memcpy(y8, y, nout);
        bt_tensor_t t16[2] = {t8[0], t8[1]};
        t16[1].dtype = DTYPE_INT16;
        t16[1].zp = 0;
        /* The same real output with zero point 0 and the clamp moved with it: y16 = y8 - zout. */
        op.p[is_conv ? 10 : 3] = -128 - zout;
        op.p[is_conv ? 11 : 4] = 127 - zout;
        y = run1(t16, 2, &op, x);
        if (!y) continue;
        for (uint32_t i = 0; i < nout; i++) {
            int32_t want = (int8_t)y8[i] - zout, got = get16(y, i);
            if (want != got) {
                fprintf(stderr, "iter %d (%s, %d bits) output %u: int8 path %d, mixed path %d\n", iter, is_conv ? "conv" : "fc", bits, i, want, got);
                CHECK(0);
                break;
            }
        }
        cases++;
    }
    CHECK_EQ(cases, 200);
}

static void test_single_rounding(void)
{
    /* 808 * M with M = 2147455243 * 2^-35 = 50.4993...: MBQM rounds 808 * 0.99998677 to 808
     * first, then 808/16 = 50.5 -> 51; one rounding gives 50 (as ONNX Runtime's float does). */
    CHECK_EQ(q_mbqm(808, 2147455243, -4), 51);
    CHECK_EQ(q_mbqm1(808, 2147455243, -4), 50);
    CHECK_EQ(q_mbqm1(-3, 1 << 30, 0), -1); /* -1.5 rounds half up */
    CHECK_EQ(q_mbqm1(3, 1 << 30, 0), 2);
    CHECK_EQ(q_mbqm1(1 << 20, 1 << 30, 30), INT32_MAX); /* 2^49: saturates */
    CHECK_EQ(q_mbqm1(INT32_MIN, 0x7FFFFFFF, 0), INT32_MIN + 1);
    /* The same FC blob under format 1 and format 2. */
    g_d.len = 0;
    int8_t w[1] = {1};
    uint8_t packed[1];
    bt_pack(w, 1, 1, 8, packed);
    uint32_t wo = bt_data_bytes(&g_d, packed, 1);
    int32_t bias[1] = {0}, mult[1] = {2147455243}, shift[1] = {-4};
    uint32_t bo = bt_data_i32(&g_d, bias, 1), mo = bt_data_i32(&g_d, mult, 1), so = bt_data_i32(&g_d, shift, 1);

    /* FC 1 -> 1, weight 1, bias 0, int8 in (zp 0) and out (zp -128): y = -128 + x * M. */
    bt_tensor_t t[2] = {{1, 1, {1, 1, 1, 1}, 0, 0}, {1, 1, {1, 1, 1, 1}, -128, 4}};
    bt_op_t op = {1, 0, 1, 9, {8, 1, 1, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
    const uint8_t *y;
    /* x = 101: 101 * M = 6.312...: away from a tie both formats give 6. */
    int8_t xi = 101;
    for (uint16_t v = 1; v <= 2; v++) {
        g_version = v;
        y = run1(t, 2, &op, &xi);
        if (y) CHECK_EQ((int8_t)y[0], -128 + 6);
    }
    /* x = 8: 8 * M = 0.4999917. Format 1 first rounds 8 * 0.99998677 to 8, then 8/16 = 0.5 -> 1;
     * format 2 rounds once -> 0. */
    xi = 8;
    g_version = 1;
    y = run1(t, 2, &op, &xi);
    if (y) CHECK_EQ((int8_t)y[0], -128 + 1);
    g_version = 2;
    y = run1(t, 2, &op, &xi);
    if (y) CHECK_EQ((int8_t)y[0], -128 + 0);
    g_version = 3; /* unknown format */
    size_t n = bt_build_x(g_blob, sizeof g_blob, t, 2, &op, 0, 1, 0, 1, arena_of(t, 2), g_d.buf, g_d.len);
    g_blob[4] = 3;
    static model_t m;
    model_error_t err = {0};
    CHECK(!model_load(&m, g_blob, (uint32_t)n, 65536, &err));
    g_version = 1;
}

int main(void)
{
    test_single_rounding();
    test_mbqm64();
    test_fc_int16();
    test_lut_int16();
    test_int8_and_int16_outputs_agree();
    return test_end("kernels_int16");
}
