/* Writes the seed corpora: valid frames and a whole upload+run session for fuzz_protocol,
 * the demo blob (tests/blob_builder.c) and a format-2 int16 blob (i64 bias, interpolated
 * 513-entry LUT, an int16 -> int8 boundary) for fuzz_model. usage: gen_corpus DIR */
#include <stdio.h>
#include <string.h>
#include "blob_builder.h"
#include "crc32.h"
#include "frame.h"

static uint8_t g_buf[1 << 17];
static size_t g_len;
static uint16_t g_seq = 1;

static void add(uint8_t kind, const uint8_t *payload, uint16_t len)
{
    g_len += frame_encode(kind, g_seq++, 0, payload, len, g_buf + g_len, sizeof g_buf - g_len);
}

static int save(const char *dir, const char *name, const uint8_t *d, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(d, 1, n, f) != n) { perror(path); return 1; }
    return fclose(f) != 0;
}

static void le32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> 8 * i); }

/* FC int16[4] -> int16[3] (8-bit weights, i64 bias) -> LUT int16 -> int8[3], format 2. */
static size_t int16_blob(uint8_t *out, size_t cap)
{
    static bt_data_t d;
    d.len = 0;
    int8_t w[12] = {1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12};
    uint8_t packed[12];
    size_t pn = bt_pack(w, 3, 4, 8, packed);
    uint32_t wo = bt_data_bytes(&d, packed, (uint32_t)pn);
    d.len = (d.len + 7) & ~7u;
    uint32_t bo = d.len;
    for (int i = 0; i < 3; i++) { /* i64 bias, little-endian two's complement */
        int64_t b = 100 * i - 50;
        le32(d.buf + d.len, (uint32_t)(uint64_t)b); le32(d.buf + d.len + 4, (uint32_t)((uint64_t)b >> 32)); d.len += 8;
    }
    int32_t mult[3] = {1 << 30, 1 << 30, 1 << 30}, shift[3] = {-2, -3, -4};
    uint32_t mo = bt_data_i32(&d, mult, 3), so = bt_data_i32(&d, shift, 3);
    uint8_t table[2 * 513];
    for (int i = 0; i < 513; i++) { int v = (i - 256) / 2; table[2 * i] = (uint8_t)v; table[2 * i + 1] = (uint8_t)((uint16_t)v >> 8); }
    uint32_t to = bt_data_bytes(&d, table, sizeof table);
    bt_tensor_t t[3] = {{2, 1, {4, 1, 1, 1}, 0, 0}, {2, 1, {3, 1, 1, 1}, 0, 8}, {1, 1, {3, 1, 1, 1}, -3, 16}};
    bt_op_t ops[2] = {{1, 0, 1, 9, {8, 4, 3, -32768, 32767, (int32_t)wo, (int32_t)bo, (int32_t)mo, (int32_t)so}},
                      {8, 1, 2, 1, {(int32_t)to}}};
    size_t n = bt_build(out, cap, t, 3, ops, 2, 0, 2, 20, d.buf, d.len);
    if (n >= 6) { out[4] = 2; out[5] = 0; } /* format 2: single-rounding requantisation */
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: gen_corpus PROTOCOL_DIR MODEL_DIR\n"); return 2; }
    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    int bad = save(argv[2], "demo_blob", blob, size);
    static uint8_t blob16[4096];
    bad |= save(argv[2], "int16_v2_blob", blob16, int16_blob(blob16, sizeof blob16));

    g_len = 0; add(0x01, 0, 0);
    bad |= save(argv[1], "identify", g_buf, g_len);

    g_len = 0;
    uint8_t p[4 + 1024];
    le32(p, size); le32(p + 4, crc32_compute(blob, size));
    add(0x10, p, 8);
    for (uint32_t off = 0; off < size; off += 512) {
        uint32_t n = size - off < 512 ? size - off : 512;
        le32(p, off); memcpy(p + 4, blob + off, n);
        add(0x11, p, (uint16_t)(4 + n));
    }
    add(0x12, 0, 0);
    le32(p, 0); memset(p + 4, 3, 36); add(0x20, p, 40);
    uint8_t run[5] = {1, 0, 0, 0, 1}; add(0x21, run, 5);
    uint8_t rd[6] = {0, 0, 0, 0, 3, 0}; add(0x22, rd, 6);
    add(0x02, 0, 0);
    bad |= save(argv[1], "session", g_buf, g_len);
    return bad;
}
