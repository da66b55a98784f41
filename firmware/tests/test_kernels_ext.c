/* The kernels added after the first six (ADD, LUT, AVG_POOL, TRANSPOSE, PAD, CONCAT), each
 * against hand-computed cases through the loader and runtime, plus their loader refusals. */
#include "check.h"
#include "blob_builder.h"
#include "fake_hal.h"
#include "model.h"
#include "runtime.h"

static uint8_t g_blob[70000];
static bt_data_t g_d;

/* Loads a one-op model over nt tensors (the last is the output), writes each input, runs. */
static const int8_t *run_op(const bt_tensor_t *t, int nt, const bt_op_t *op, const bt_extra_t *ex, const int8_t *const *xs)
{
    uint32_t arena = 0;
    for (int i = 0; i < nt; i++) {
        uint32_t n = t[i].dims[0] * (t[i].dims[1] ? t[i].dims[1] : 1) * (t[i].dims[2] ? t[i].dims[2] : 1) *
                     (t[i].dims[3] ? t[i].dims[3] : 1);
        if (t[i].offset + n > arena) arena = t[i].offset + n;
    }
    size_t n = bt_build_x(g_blob, sizeof g_blob, t, nt, op, ex, 1, 0, (uint16_t)(nt - 1), arena, g_d.buf, g_d.len);
    static model_t m;
    model_error_t err = {0};
    if (!model_load(&m, g_blob, (uint32_t)n, 65536, &err)) {
        fprintf(stderr, "load failed: op %u: %s\n", err.detail, err.reason);
        CHECK(0);
        return 0;
    }
    uint8_t *a = model_arena();
    for (int i = 0; i < nt - 1; i++) {
        uint32_t cnt = t[i].dims[0] * (t[i].dims[1] ? t[i].dims[1] : 1) * (t[i].dims[2] ? t[i].dims[2] : 1);
        memcpy(a + t[i].offset, xs[i], cnt);
    }
    runtime_invoke(&m);
    return (const int8_t *)(a + t[nt - 1].offset);
}

static const char *load_error(const bt_tensor_t *t, int nt, const bt_op_t *op, const bt_extra_t *ex, uint32_t arena)
{
    size_t n = bt_build_x(g_blob, sizeof g_blob, t, nt, op, ex, 1, 0, (uint16_t)(nt - 1), arena, g_d.buf, g_d.len);
    static model_t m;
    model_error_t err = {0};
    return model_load(&m, g_blob, (uint32_t)n, 65536, &err) ? 0 : err.reason;
}

static void test_add(void)
{
    g_d.len = 0;
    /* zp1 = 1, zp2 = -2, zp_out = 3, left = 20. M1 = 0.5 (2^30, 0), M2 = 0.25 (2^30, -1),
     * Mo = 2^-19 (2^30, -18): y = 3 + ((x1-1)·2^20·0.5 + (x2+2)·2^20·0.25) / 2^19
     *                             = 3 + (x1-1) + (x2+2)/2, halves rounded away from zero.
     * x1 = {1, 11, -9, 100}, x2 = {-2, 1, -5, 100}:
     *   0 + 0 -> 3;  10 + 1.5 -> 11.5 -> 12 -> 15;  -10 - 1.5 -> -11.5 -> -12 -> -9;
     *   99 + 51 = 150 -> 153 -> clamped to act_max 120 */
    bt_tensor_t t[3] = {{1, 1, {4, 1, 1, 1}, 1, 0}, {1, 1, {4, 1, 1, 1}, -2, 4}, {1, 1, {4, 1, 1, 1}, 3, 8}};
    bt_op_t op = {7, 0, 2, 9, {-128, 120, 20, 1 << 30, 0, 1 << 30, -1, 1 << 30, -18}};
    bt_extra_t ex = {1, {1, 0, 0}}, none = {0, {0, 0, 0}};
    int8_t x1[4] = {1, 11, -9, 100}, x2[4] = {-2, 1, -5, 100};
    const int8_t *xs[2] = {x1, x2};
    const int8_t *y = run_op(t, 3, &op, &ex, xs);
    int8_t e[4] = {3, 15, -9, 120};
    if (y) CHECK_MEM(y, e, 4);
    /* refusals: input multiplier > 1, left shift 23, one input only, output overlapping input 2 */
    op.p[4] = 1;
    CHECK(load_error(t, 3, &op, &ex, 12) != 0);
    op.p[4] = 0; op.p[2] = 23;
    CHECK(load_error(t, 3, &op, &ex, 12) != 0);
    op.p[2] = 20;
    bt_tensor_t t2[2] = {t[0], t[2]};
    CHECK(load_error(t2, 2, &op, &none, 12) != 0);
    t[2].offset = 4;
    CHECK(load_error(t, 3, &op, &ex, 12) != 0);
}

static void test_lut(void)
{
    g_d.len = 0;
    uint8_t table[256];
    for (int i = 0; i < 256; i++) table[i] = (uint8_t)(int8_t)((i - 128) / 2); /* y = x/2 toward 0 */
    uint32_t to = bt_data_bytes(&g_d, table, 256);
    bt_tensor_t t[2] = {{1, 1, {5, 1, 1, 1}, 0, 0}, {1, 1, {5, 1, 1, 1}, 7, 8}};
    bt_op_t op = {8, 0, 1, 1, {(int32_t)to}};
    int8_t x[5] = {-128, -3, 0, 5, 127};
    const int8_t *xs[1] = {x};
    const int8_t *y = run_op(t, 2, &op, 0, xs);
    int8_t e[5] = {-64, -1, 0, 2, 63};
    if (y) CHECK_MEM(y, e, 5);
    op.p[0] = (int32_t)to + 1; /* table runs one byte past the data section */
    CHECK(load_error(t, 2, &op, 0, 16) != 0);
}

static void test_avg_pool(void)
{
    g_d.len = 0;
    /* 3x3 input, zp 1 (x - zp = {0,1,2; 3,4,5; 6,7,8}), 2x2 windows, stride 2, pad 1:
     * windows {0}, {1,2}, {3,6}, {4,5,7,8}. Without pad counted: 0, 1.5->2, 4.5->5, 6 (+zp):
     * {1, 3, 6, 7}. With count_include_pad (count 4): 0, 0.75->1, 2.25->2, 6 -> {1, 2, 3, 7} */
    bt_tensor_t t[2] = {{1, 3, {1, 3, 3, 1}, 1, 0}, {1, 3, {1, 2, 2, 1}, 1, 12}};
    bt_op_t op = {9, 0, 1, 9, {2, 2, 2, 2, 1, 1, 0, -128, 127}};
    int8_t x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int8_t *xs[1] = {x};
    const int8_t *y = run_op(t, 2, &op, 0, xs);
    int8_t e0[4] = {1, 3, 6, 7};
    if (y) CHECK_MEM(y, e0, 4);
    op.p[6] = 1;
    y = run_op(t, 2, &op, 0, xs);
    int8_t e1[4] = {1, 2, 3, 7};
    if (y) CHECK_MEM(y, e1, 4);
    /* negative sums round half away from zero: x - zp = {-3, -2, -1, -8} in one 2x2 window */
    bt_tensor_t tn[2] = {{1, 3, {1, 2, 2, 1}, 0, 0}, {1, 3, {1, 1, 1, 1}, 0, 4}};
    bt_op_t opn = {9, 0, 1, 9, {2, 2, 1, 1, 0, 0, 0, -128, 127}};
    int8_t xn[4] = {-3, -2, -1, -8}; /* -14/4 = -3.5 -> -4 */
    const int8_t *xsn[1] = {xn};
    y = run_op(tn, 2, &opn, 0, xsn);
    if (y) CHECK_EQ(y[0], -4);
    op.p[6] = 2;
    CHECK(load_error(t, 2, &op, 0, 16) != 0);
}

static void test_transpose(void)
{
    g_d.len = 0;
    /* [2,3] -> [3,2] (perm 1,0) */
    bt_tensor_t t[2] = {{1, 2, {2, 3, 1, 1}, 0, 0}, {1, 2, {3, 2, 1, 1}, 0, 8}};
    bt_op_t op = {10, 0, 1, 4, {1, 0, 2, 3}};
    int8_t x[6] = {1, 2, 3, 4, 5, 6};
    const int8_t *xs[1] = {x};
    const int8_t *y = run_op(t, 2, &op, 0, xs);
    int8_t e[6] = {1, 4, 2, 5, 3, 6};
    if (y) CHECK_MEM(y, e, 6);
    /* [C,H,W] = [2,1,2] -> [H,W,C] = [1,2,2] (perm 1,2,0): element (c,0,w) goes to (0,w,c) */
    bt_tensor_t t3[2] = {{1, 3, {2, 1, 2, 1}, 0, 0}, {1, 3, {1, 2, 2, 1}, 0, 4}};
    bt_op_t op3 = {10, 0, 1, 4, {1, 2, 0, 3}};
    int8_t x3[4] = {10, 11, 20, 21};
    const int8_t *xs3[1] = {x3};
    y = run_op(t3, 2, &op3, 0, xs3);
    int8_t e3[4] = {10, 20, 11, 21};
    if (y) CHECK_MEM(y, e3, 4);
    op.p[0] = 0; /* {0,0,2,3} is not a permutation */
    CHECK(load_error(t, 2, &op, 0, 16) != 0);
}

static void test_pad(void)
{
    g_d.len = 0;
    /* [1,2,2] padded by one row on top and one column on the right with value -5 -> [1,3,3] */
    bt_tensor_t t[2] = {{1, 3, {1, 2, 2, 1}, -5, 0}, {1, 3, {1, 3, 3, 1}, -5, 4}};
    bt_op_t op = {11, 0, 1, 9, {0, 1, 0, 0, 0, 0, 1, 0, -5}};
    int8_t x[4] = {1, 2, 3, 4};
    const int8_t *xs[1] = {x};
    const int8_t *y = run_op(t, 2, &op, 0, xs);
    int8_t e[9] = {-5, -5, -5, 1, 2, -5, 3, 4, -5};
    if (y) CHECK_MEM(y, e, 9);
    op.p[6] = 2; /* output dims no longer match */
    CHECK(load_error(t, 2, &op, 0, 16) != 0);
}

static void test_concat(void)
{
    g_d.len = 0;
    /* Two [1,1,2] inputs along axis 0 -> [2,1,2]. Input 0 keeps its quantisation (M = 1 as
     * (2^30, 1)); input 1 (zp 4) is scaled by 0.5 (2^30, 0) to zp_out 0:
     * {10, -7} -> {10, -7}; {8, 1} -> (4, -3)·0.5 -> {2, -1.5 -> -1 (SRDHM rounds ties up)} */
    int32_t mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 0};
    uint32_t mo = bt_data_i32(&g_d, mult, 2), so = bt_data_i32(&g_d, shift, 2);
    bt_tensor_t t[3] = {{1, 3, {1, 1, 2, 1}, 0, 0}, {1, 3, {1, 1, 2, 1}, 4, 4}, {1, 3, {2, 1, 2, 1}, 0, 8}};
    bt_op_t op = {12, 0, 2, 3, {0, (int32_t)mo, (int32_t)so}};
    bt_extra_t ex = {1, {1, 0, 0}};
    int8_t x0[2] = {10, -7}, x1[2] = {8, 1};
    const int8_t *xs[2] = {x0, x1};
    const int8_t *y = run_op(t, 3, &op, &ex, xs);
    int8_t e[4] = {10, -7, 2, -1};
    if (y) CHECK_MEM(y, e, 4);
    /* along the last axis (2): one row -> [1,1,4] = {10, -7, 2, -1} too */
    bt_tensor_t tw[3] = {t[0], t[1], {1, 3, {1, 1, 4, 1}, 0, 8}};
    op.p[0] = 2;
    y = run_op(tw, 3, &op, &ex, xs);
    if (y) CHECK_MEM(y, e, 4);
    op.p[0] = 1; /* axis 1 sizes 1 + 1 != 1 */
    CHECK(load_error(tw, 3, &op, &ex, 12) != 0);
}

int main(void)
{
    test_add();
    test_lut();
    test_avg_pool();
    test_transpose();
    test_pad();
    test_concat();
    return test_end("kernels_ext");
}
