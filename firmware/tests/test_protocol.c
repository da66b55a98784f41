/* The dispatcher driven in-process through the fake HAL. */
#include "check.h"
#include "blob_builder.h"
#include "crc32.h"
#include "fake_hal.h"
#include "protocol.h"

static proto_t g_p;
static frame_t g_resp;
static uint8_t g_resp_payload[FRAME_MAX_PAYLOAD];
static int g_resp_count;

/* Sends one request; decodes what the device wrote (expects exactly one response). */
static void request(uint8_t kind, uint16_t seq, const uint8_t *payload, uint16_t len)
{
    static uint8_t wire[FRAME_MAX_WIRE];
    size_t n = frame_encode(kind, seq, 0, payload, len, wire, sizeof wire);
    fake_reset_output();
    proto_feed(&g_p, wire, n);
    static frame_rx_t rx;
    frame_rx_init(&rx);
    g_resp_count = 0;
    memset(&g_resp, 0, sizeof g_resp);
    for (size_t i = 0; i < g_fake_out_len; i++) {
        frame_t f;
        if (frame_rx_feed(&rx, g_fake_out[i], &f) == FRAME_RX_FRAME) {
            g_resp = f;
            memcpy(g_resp_payload, f.payload, f.len);
            g_resp.payload = g_resp_payload;
            g_resp_count++;
        }
    }
    CHECK_EQ(g_resp_count, 1);
}

static void expect(uint8_t kind, uint8_t status)
{
    CHECK_EQ(g_resp.kind, kind | 0x80);
    CHECK_EQ(g_resp.status, status);
}

static uint32_t u32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void p32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

static uint16_t g_seq = 100;

static void upload(const uint8_t *blob, uint32_t size, uint32_t crc, uint8_t commit_status)
{
    uint8_t b[FRAME_MAX_PAYLOAD];
    p32(b, size);
    p32(b + 4, crc);
    request(CMD_MODEL_BEGIN, g_seq++, b, 8);
    expect(CMD_MODEL_BEGIN, ST_OK);
    for (uint32_t off = 0; off < size; off += PROTO_MAX_CHUNK) {
        uint32_t n = size - off < PROTO_MAX_CHUNK ? size - off : PROTO_MAX_CHUNK;
        p32(b, off);
        memcpy(b + 4, blob + off, n);
        request(CMD_MODEL_CHUNK, g_seq++, b, (uint16_t)(4 + n));
        expect(CMD_MODEL_CHUNK, ST_OK);
    }
    request(CMD_MODEL_COMMIT, g_seq++, 0, 0);
    expect(CMD_MODEL_COMMIT, commit_status);
}

static void test_vectors(void)
{
    /* IDENTIFY and the NO_MODEL NAK reproduce PROTOCOL.md's response vectors byte for byte */
    uint8_t want[128];
    request(CMD_IDENTIFY, 1, 0, 0);
    size_t n = hex_bytes("04 01 81 01 01 01 02 20 02 01 02 01 01 04 7a 03 0a 01 02 01 01 02 80 01 01 03 04 04 01 01 01 01 01 01 01 01 09 03 73 69 6d 5c fe f2 89 00", want, sizeof want);
    CHECK_EQ(g_fake_out_len, n);
    CHECK_MEM(g_fake_out, want, n);
    uint8_t run[5] = {10, 0, 0, 0, 1};
    request(CMD_RUN, 4, run, 5);
    n = hex_bytes("04 01 a1 04 02 08 01 01 05 d4 6d 71 16 00", want, sizeof want);
    CHECK_EQ(g_fake_out_len, n);
    CHECK_MEM(g_fake_out, want, n);
    /* a damaged frame gets the 0xFF NAK vector */
    uint8_t bad[64];
    size_t bn = hex_bytes("04 01 21 04 01 01 02 05 02 0a 01 01 06 01 82 7c 20 8f 00", bad, sizeof bad);
    fake_reset_output();
    proto_feed(&g_p, bad, bn);
    n = hex_bytes("06 01 ff ff ff 01 01 01 05 e2 9e a2 ad 00", want, sizeof want);
    CHECK_EQ(g_fake_out_len, n);
    CHECK_MEM(g_fake_out, want, n);
}

static void test_upload_and_run(void)
{
    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    uint32_t crc = crc32_compute(blob, size);
    uint8_t b[64];

    /* state errors */
    request(CMD_MODEL_COMMIT, g_seq++, 0, 0);
    expect(CMD_MODEL_COMMIT, ST_BAD_STATE);
    p32(b, 0); b[4] = 1;
    request(CMD_MODEL_CHUNK, g_seq++, b, 5);
    expect(CMD_MODEL_CHUNK, ST_BAD_STATE);
    p32(b, 0);
    request(CMD_SET_INPUT, g_seq++, b, 5);
    expect(CMD_SET_INPUT, ST_NO_MODEL);
    p32(b, 0); b[4] = 3; b[5] = 0;
    request(CMD_READ_OUTPUT, g_seq++, b, 6);
    expect(CMD_READ_OUTPUT, ST_NO_MODEL);
    /* length checks */
    request(CMD_IDENTIFY, g_seq++, b, 1);
    expect(CMD_IDENTIFY, ST_BAD_LENGTH);
    request(CMD_MODEL_BEGIN, g_seq++, b, 7);
    expect(CMD_MODEL_BEGIN, ST_BAD_LENGTH);
    request(0x55, g_seq++, 0, 0);
    expect(0x55, ST_UNKNOWN_CMD);
    /* too large and zero-size models */
    p32(b, g_fake_model_capacity + 1); p32(b + 4, 0);
    request(CMD_MODEL_BEGIN, g_seq++, b, 8);
    expect(CMD_MODEL_BEGIN, ST_TOO_LARGE);
    p32(b, 0);
    request(CMD_MODEL_BEGIN, g_seq++, b, 8);
    expect(CMD_MODEL_BEGIN, ST_BAD_ARG);

    /* a CRC mismatch is rejected and the model cannot run */
    upload(blob, size, crc ^ 1, ST_MODEL_CRC);
    CHECK_EQ(g_resp.len >= 4, 1);
    uint8_t run[5] = {1, 0, 0, 0, 0};
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_NO_MODEL);

    /* out-of-range chunk */
    p32(b, size); p32(b + 4, crc);
    request(CMD_MODEL_BEGIN, g_seq++, b, 8);
    expect(CMD_MODEL_BEGIN, ST_OK);
    p32(b, size - 2); memset(b + 4, 0, 3);
    request(CMD_MODEL_CHUNK, g_seq++, b, 7);
    expect(CMD_MODEL_CHUNK, ST_OUT_OF_RANGE);
    p32(b, 0xFFFFFFFFu);
    request(CMD_MODEL_CHUNK, g_seq++, b, 5);
    expect(CMD_MODEL_CHUNK, ST_OUT_OF_RANGE);
    /* model not run before commit */
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_NO_MODEL);

    /* a blob that passes the CRC but not the loader */
    static uint8_t broken[8192];
    memcpy(broken, blob, size);
    broken[4] = 9; /* format_version */
    upload(broken, size, crc32_compute(broken, size), ST_MODEL_INVALID);
    CHECK(g_resp.len > 4);

    /* the good model */
    uint32_t commits = g_fake_commits;
    upload(blob, size, crc, ST_OK);
    CHECK_EQ(g_fake_commits, commits + 1);
    CHECK_EQ(g_resp.len, 14);
    CHECK_EQ(u32(g_resp.payload), 212);
    CHECK_EQ(g_resp.payload[4], 5);
    CHECK_EQ(u32(g_resp.payload + 6), 36);
    CHECK_EQ(u32(g_resp.payload + 10), 3);
    request(CMD_IDENTIFY, g_seq++, 0, 0);
    CHECK_EQ(u32(g_resp.payload + 20), crc);
    CHECK_EQ(u32(g_resp.payload + 24), size);

    /* input bounds */
    p32(b, 30); memset(b + 4, 1, 7);
    request(CMD_SET_INPUT, g_seq++, b, 11);
    expect(CMD_SET_INPUT, ST_OUT_OF_RANGE);
    p32(b, 0);
    for (int i = 0; i < 36; i++) b[4 + i] = (uint8_t)(i * 11);
    request(CMD_SET_INPUT, g_seq++, b, 40);
    expect(CMD_SET_INPUT, ST_OK);

    /* bad RUN arguments */
    p32(run, 0);
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_BAD_ARG);
    p32(run, 3); run[4] = 2;
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_BAD_ARG);

    /* RUN n=3 with the trigger; then a retry of the same frame is answered from the cache */
    run[4] = 1;
    uint32_t ops = g_fake_ops, trig = g_fake_triggers, executed = g_p.executed;
    uint16_t seq = g_seq++;
    request(CMD_RUN, seq, run, 5);
    expect(CMD_RUN, ST_OK);
    CHECK_EQ(g_fake_ops, ops + 15);
    CHECK_EQ(g_fake_triggers, trig + 3);
    CHECK_EQ(g_fake_trigger_level, 0);
    CHECK_EQ(u32(g_resp.payload), 3);
    uint32_t total = u32(g_resp.payload + 4), mn = u32(g_resp.payload + 12), mx = u32(g_resp.payload + 16);
    CHECK(mn > 0 && mn == mx && total == 3 * mn);
    uint8_t first[64];
    memcpy(first, g_fake_out, g_fake_out_len);
    size_t first_len = g_fake_out_len;
    request(CMD_RUN, seq, run, 5);
    CHECK_EQ(g_fake_ops, ops + 15); /* not executed again */
    CHECK_EQ(g_p.executed, executed + 1);
    CHECK_EQ(g_fake_out_len, first_len);
    CHECK_MEM(g_fake_out, first, first_len);
    /* same seq but different bytes (a new host session reusing seq numbers) executes */
    p32(run, 1);
    request(CMD_RUN, seq, run, 5);
    CHECK_EQ(g_fake_ops, ops + 20);

    /* output */
    p32(b, 0); b[4] = 3; b[5] = 0;
    request(CMD_READ_OUTPUT, g_seq++, b, 6);
    expect(CMD_READ_OUTPUT, ST_OK);
    CHECK_EQ(g_resp.len, 3);
    p32(b, 1); b[4] = 3;
    request(CMD_READ_OUTPUT, g_seq++, b, 6);
    expect(CMD_READ_OUTPUT, ST_OUT_OF_RANGE);
    p32(b, 0); b[4] = 0x01; b[5] = 0x04; /* 1025 > max_chunk */
    request(CMD_READ_OUTPUT, g_seq++, b, 6);
    expect(CMD_READ_OUTPUT, ST_BAD_ARG);

    /* RESET keeps the committed model */
    request(CMD_RESET, g_seq++, 0, 0);
    expect(CMD_RESET, ST_OK);
    request(CMD_IDENTIFY, g_seq++, 0, 0);
    CHECK_EQ(u32(g_resp.payload + 20), crc);
    run[4] = 0;
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_OK);

    /* a stored blob is restored at start-up when it validates */
    proto_config_t cfg = {32768};
    proto_init(&g_p, &cfg, size);
    CHECK(g_p.has_model);
    CHECK_EQ(g_p.model_crc, crc);
    /* a new MODEL_BEGIN invalidates it */
    p32(b, size); p32(b + 4, crc);
    request(CMD_MODEL_BEGIN, g_seq++, b, 8);
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_NO_MODEL);
}

/* The arena planner may reuse the input's bytes after its last reader: op 1 writes over the
 * input tensor here. RUN n=2 must still compute on the SET_INPUT data every time. */
static void test_input_region_reused(void)
{
    static bt_data_t d;
    d.len = 0;
    int8_t w[16] = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2};
    uint32_t wo = bt_data_bytes(&d, w, 16);
    int32_t bias[4] = {0}, mult[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30}, shift[4] = {1, 1, 1, 1};
    uint32_t bo = bt_data_i32(&d, bias, 4), mo = bt_data_i32(&d, mult, 4), so = bt_data_i32(&d, shift, 4);
    bt_tensor_t t[3] = {{1, 1, {4, 1, 1, 1}, 0, 0}, {1, 1, {4, 1, 1, 1}, 0, 4}, {1, 1, {4, 1, 1, 1}, 0, 0}};
    bt_op_t ops[2] = {{5, 0, 1, 2, {-50, 60}},
                      {1, 1, 2, 9, {8, 4, 4, -128, 127, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}}};
    static uint8_t blob[1024];
    uint32_t size = (uint32_t)bt_build(blob, sizeof blob, t, 3, ops, 2, 0, 2, 8, d.buf, d.len);
    upload(blob, size, crc32_compute(blob, size), ST_OK);
    uint8_t b[16] = {0, 0, 0, 0, 1, 2, 3, 4};
    request(CMD_SET_INPUT, g_seq++, b, 8);
    expect(CMD_SET_INPUT, ST_OK);
    uint8_t run[5] = {2, 0, 0, 0, 0};
    request(CMD_RUN, g_seq++, run, 5);
    expect(CMD_RUN, ST_OK);
    uint8_t rd[6] = {0, 0, 0, 0, 4, 0};
    request(CMD_READ_OUTPUT, g_seq++, rd, 6);
    expect(CMD_READ_OUTPUT, ST_OK);
    int8_t want[4] = {2, 4, 6, 8}; /* not {4, 8, 12, 16}: the second run saw the real input */
    CHECK_EQ(g_resp.len, 4);
    CHECK_MEM(g_resp.payload, want, 4);
}

int main(void)
{
    proto_config_t cfg = {32768};
    proto_init(&g_p, &cfg, 0);
    test_vectors();
    test_upload_and_run();
    test_input_region_reused();
    return test_end("protocol");
}
