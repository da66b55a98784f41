/* Each kernel against hand-computed small cases, run through the loader and runtime.
 * Arithmetic of every expected value is written out next to it. */
#include "check.h"
#include "blob_builder.h"
#include "fake_hal.h"
#include "model.h"
#include "runtime.h"

static uint8_t g_blob[70000];
static bt_data_t g_d;

/* Loads a one-op model (tensor 0 -> tensor 1), writes the input, runs, returns the output. */
static const int8_t *run_one(const bt_tensor_t *t, const bt_op_t *op, const int8_t *x, uint32_t arena)
{
    size_t n = bt_build(g_blob, sizeof g_blob, t, 2, op, 1, 0, 1, arena, g_d.buf, g_d.len);
    static model_t m;
    model_error_t err = {0};
    if (!model_load(&m, g_blob, (uint32_t)n, 65536, &err)) {
        fprintf(stderr, "load failed: op %u: %s\n", err.detail, err.reason);
        CHECK(0);
        return 0;
    }
    uint8_t *a = model_arena();
    memcpy(a + t[0].offset, x, m.input_bytes);
    uint32_t ops = g_fake_ops;
    runtime_invoke(&m);
    CHECK_EQ(g_fake_ops, ops + 1);
    return (const int8_t *)(a + t[1].offset);
}

static void fc_case(int bits, const int8_t *w, int32_t b0, int32_t b1, int32_t shift1, int32_t act_min,
                    int8_t y0, int8_t y1)
{
    g_d.len = 0;
    uint8_t packed[16];
    size_t pn = bt_pack(w, 2, 3, bits, packed);
    uint32_t wo = bt_data_bytes(&g_d, packed, (uint32_t)pn);
    int32_t bias[2] = {b0, b1}, mult[2] = {1 << 30, 1 << 30}, shift[2] = {bits == 2 ? 1 : 0, shift1};
    uint32_t bo = bt_data_i32(&g_d, bias, 2), mo = bt_data_i32(&g_d, mult, 2), so = bt_data_i32(&g_d, shift, 2);
    bt_tensor_t t[2] = {{1, 1, {3, 1, 1, 1}, 5, 0}, {1, 1, {2, 1, 1, 1}, -3, 4}};
    bt_op_t op = {1, 0, 1, 9, {bits, 3, 2, act_min, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
    int8_t x[3] = {10, 20, -30}; /* minus zp 5: {5, 15, -35} */
    const int8_t *y = run_one(t, &op, x, 8);
    if (y) { CHECK_EQ(y[0], y0); CHECK_EQ(y[1], y1); }
}

static void test_fully_connected(void)
{
    /* 8-bit: acc0 = 100 + 5 - 30 - 105 = -30 -> *0.5 = -15 (SRDHM) -> -15 + zp(-3) = -18
     *        acc1 = -50 + 635 - 1905 = -1320 -> *0.5 = -660 -> /16 = -41.25 -> -41 -> -44 */
    int8_t w8[] = {1, -2, 3, 127, -127, 0};
    fc_case(8, w8, 100, -50, -4, -128, -18, -44);
    /* 4-bit: acc0 = 35 - 105 - 35 = -105 -> -52.5 -> -52 (SRDHM) -> -55, clamped to -50
     *        acc1 = -15 + 0 - 70 = -85 -> -42.5 -> -42 -> -45 */
    int8_t w4[] = {7, -7, 1, -3, 0, 2};
    fc_case(4, w4, 0, 0, 0, -50, -50, -45);
    /* 2-bit (shift 1 on channel 0: M = 1.0): acc0 = 5 - 15 - 35 = -45 -> -45 -> -48
     *        acc1 = 0 + 15 + 35 = 50 -> *0.5 = 25 -> 22 */
    int8_t w2[] = {1, -1, 1, 0, 1, -1};
    fc_case(2, w2, 0, 0, 0, -128, -48, 22);
}

/* Input 1x3x3 = {1..9}, zp 1, so x - zp = {0..8}; 3x3 kernel, stride 2, pad 1 -> 2x2 outputs.
 * Channel 1 has all-one weights: window sums 8, 12, 20, 24, plus bias 10. M = 0.5. */
static void conv_case(int bits, const int8_t *w0, const int8_t *expect)
{
    g_d.len = 0;
    int8_t w[18];
    for (int i = 0; i < 9; i++) { w[i] = w0[i]; w[9 + i] = 1; }
    uint8_t packed[32];
    size_t pn = bt_pack(w, 2, 9, bits, packed);
    uint32_t wo = bt_data_bytes(&g_d, packed, (uint32_t)pn);
    int32_t bias[2] = {0, 10}, mult[2] = {1 << 30, 1 << 30}, shift[2] = {0, 0};
    uint32_t bo = bt_data_i32(&g_d, bias, 2), mo = bt_data_i32(&g_d, mult, 2), so = bt_data_i32(&g_d, shift, 2);
    bt_tensor_t t[2] = {{1, 3, {1, 3, 3, 1}, 1, 0}, {1, 3, {2, 2, 2, 1}, 0, 12}};
    bt_op_t op = {2, 0, 1, 16, {bits, 3, 3, 2, 2, 1, 1, 1, 1, 1, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
    int8_t x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    const int8_t *y = run_one(t, &op, x, 20);
    if (y)
        for (int i = 0; i < 8; i++) CHECK_EQ(y[i], expect[i]);
}

static void test_conv2d(void)
{
    /* Sobel-x {1,0,-1; 2,0,-2; 1,0,-1}: sums -6, 6, -18, 18 -> halves -3 (from -3.5 -> toward
     * zero by the nudge), 3 (3.5 -> 3? no: SRDHM(6) = 3), -9, 9. Channel 1: 18,22,30,34 -> 9,11,15,17 */
    int8_t sobel[9] = {1, 0, -1, 2, 0, -2, 1, 0, -1};
    int8_t e8[8] = {-3, 3, -9, 9, 9, 11, 15, 17};
    conv_case(8, sobel, e8);
    conv_case(4, sobel, e8);
    /* 2-bit {1,0,-1} x3 rows: sums -5, 5, -11, 11 -> -2, 3, -5, 6 */
    int8_t pm[9] = {1, 0, -1, 1, 0, -1, 1, 0, -1};
    int8_t e2[8] = {-2, 3, -5, 6, 9, 11, 15, 17};
    conv_case(2, pm, e2);

    /* grouped (depthwise) 1x1: C = M = group = 2, w = {2, -3}, M = 0.5 * 2 = 1 */
    g_d.len = 0;
    int8_t w[2] = {2, -3};
    uint8_t packed[4];
    size_t pn = bt_pack(w, 2, 1, 4, packed);
    uint32_t wo = bt_data_bytes(&g_d, packed, (uint32_t)pn);
    int32_t bias[2] = {0, 0}, mult[2] = {1 << 30, 1 << 30}, shift[2] = {1, 1};
    uint32_t bo = bt_data_i32(&g_d, bias, 2), mo = bt_data_i32(&g_d, mult, 2), so = bt_data_i32(&g_d, shift, 2);
    bt_tensor_t t[2] = {{1, 3, {2, 1, 2, 1}, 0, 0}, {1, 3, {2, 1, 2, 1}, 0, 4}};
    bt_op_t op = {2, 0, 1, 16, {4, 1, 1, 1, 1, 0, 0, 1, 1, 2, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}};
    int8_t x[4] = {1, 2, 3, 4};
    const int8_t *y = run_one(t, &op, x, 8);
    if (y) { CHECK_EQ(y[0], 2); CHECK_EQ(y[1], 4); CHECK_EQ(y[2], -9); CHECK_EQ(y[3], -12); }
}

static void test_max_pool(void)
{
    g_d.len = 0;
    /* 2x2 windows, stride 2, pad 1: {x00}, {x01,x02}, {x10,x20}, {x11,x12,x21,x22} */
    bt_tensor_t t[2] = {{1, 3, {1, 3, 3, 1}, 4, 0}, {1, 3, {1, 2, 2, 1}, 4, 12}};
    bt_op_t op = {3, 0, 1, 6, {2, 2, 2, 2, 1, 1}};
    int8_t x[9] = {-100, -2, 3, -4, 5, -6, 7, -8, 9};
    const int8_t *y = run_one(t, &op, x, 16);
    if (y) { CHECK_EQ(y[0], -100); CHECK_EQ(y[1], 3); CHECK_EQ(y[2], 7); CHECK_EQ(y[3], 9); }
}

static void test_global_avg_pool(void)
{
    g_d.len = 0;
    /* zp_in 1: sums 0+1+2+3 = 6 and -2-3-4-6 = -15; M = 1/4 (mult 0.5, shift -1):
     * 6 -> 3 -> 1.5 -> 2; -15 -> -7 (SRDHM of -7.5) -> -3.5 -> -4; + zp_out 2 -> 4, -2 */
    bt_tensor_t t[2] = {{1, 3, {2, 2, 2, 1}, 1, 0}, {1, 3, {2, 1, 1, 1}, 2, 8}};
    bt_op_t op = {4, 0, 1, 4, {1 << 30, -1, -128, 127}};
    int8_t x[8] = {1, 2, 3, 4, -1, -2, -3, -5};
    const int8_t *y = run_one(t, &op, x, 12);
    if (y) { CHECK_EQ(y[0], 4); CHECK_EQ(y[1], -2); }
}

static void test_clamp_reshape(void)
{
    g_d.len = 0;
    bt_tensor_t t[2] = {{1, 1, {5, 1, 1, 1}, 0, 0}, {1, 1, {5, 1, 1, 1}, 0, 8}};
    bt_op_t op = {5, 0, 1, 2, {-10, 40}};
    int8_t x[5] = {-128, -5, 0, 50, 127};
    const int8_t *y = run_one(t, &op, x, 16);
    int8_t e[5] = {-10, -5, 0, 40, 40};
    if (y) CHECK_MEM(y, e, 5);
    bt_tensor_t t2[2] = {{1, 3, {1, 2, 3, 1}, 0, 0}, {1, 1, {6, 1, 1, 1}, 0, 8}};
    bt_op_t op2 = {6, 0, 1, 0, {0}};
    int8_t x2[6] = {1, -2, 3, -4, 5, -6};
    y = run_one(t2, &op2, x2, 16);
    if (y) CHECK_MEM(y, x2, 6);
}

static void test_demo_model_is_deterministic(void)
{
    size_t n = bt_demo_model(g_blob, sizeof g_blob);
    static model_t m;
    model_error_t err;
    CHECK(model_load(&m, g_blob, (uint32_t)n, 65536, &err));
    CHECK_EQ(m.input_bytes, 36);
    CHECK_EQ(m.output_bytes, 3);
    int8_t out1[3], out2[3];
    for (int i = 0; i < 36; i++) model_arena()[i] = (uint8_t)(i * 11);
    runtime_invoke(&m);
    memcpy(out1, model_arena() + 44, 3);
    runtime_invoke(&m); /* the input survives: a second run gives the same output */
    memcpy(out2, model_arena() + 44, 3);
    CHECK_MEM(out1, out2, 3);
    for (int i = 0; i < 3; i++) CHECK(out1[i] >= -100 && out1[i] <= 100);
}

int main(void)
{
    test_fully_connected();
    test_conv2d();
    test_max_pool();
    test_global_avg_pool();
    test_clamp_reshape();
    test_demo_model_is_deterministic();
    return test_end("kernels");
}
