/* Writes the seed corpora: valid frames and a whole upload+run session for fuzz_protocol,
 * the demo blob (tests/blob_builder.c) for fuzz_model. usage: gen_corpus DIR */
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

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: gen_corpus PROTOCOL_DIR MODEL_DIR\n"); return 2; }
    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    int bad = save(argv[2], "demo_blob", blob, size);

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
