/* The hex vectors of PROTOCOL.md, byte for byte, plus rejection of damaged frames. */
#include "check.h"
#include "crc32.h"
#include "frame.h"

typedef struct {
    const char *hex;
    uint8_t kind;
    uint16_t seq;
    uint8_t status;
    const char *payload_hex;
} vector_t;

static const vector_t vectors[] = {
    {"04 01 01 01 01 01 01 01 05 e6 07 a3 c4 00", 0x01, 1, 0, ""},
    {"04 01 81 01 01 01 02 20 02 01 02 01 01 04 7a 03 0a 01 02 01 01 02 80 01 01 03 04 04 01 01 01 01 01 01 01 01 09 03 73 69 6d 5c fe f2 89 00",
     0x81, 1, 0, "01 00 01 00 00 7a 03 0a 00 00 01 00 00 80 00 00 00 04 04 00 00 00 00 00 00 00 00 00 03 73 69 6d"},
    {"04 01 10 02 01 01 02 08 02 08 01 01 09 9f 68 aa 88 7c ee 81 33 00", 0x10, 2, 0, "08 00 00 00 9f 68 aa 88"},
    {"04 01 11 03 01 01 02 0c 01 01 01 01 01 0c 01 02 03 04 05 06 07 20 e0 e9 83 00", 0x11, 3, 0,
     "00 00 00 00 00 01 02 03 04 05 06 07"},
    {"04 01 21 04 01 01 02 05 02 0a 01 01 06 01 82 7c 20 8e 00", 0x21, 4, 0, "0a 00 00 00 01"},
    {"04 01 a1 04 02 08 01 01 05 d4 6d 71 16 00", 0xA1, 4, 8, ""},
    {"06 01 ff ff ff 01 01 01 05 e2 9e a2 ad 00", 0xFF, 0xFFFF, 1, ""},
};

static frame_rx_result_t feed_all(frame_rx_t *rx, const uint8_t *b, size_t n, frame_t *f, int *frames)
{
    frame_rx_result_t last = FRAME_RX_NONE;
    *frames = 0;
    for (size_t i = 0; i < n; i++) {
        frame_rx_result_t r = frame_rx_feed(rx, b[i], f);
        if (r != FRAME_RX_NONE) { last = r; (*frames)++; }
    }
    return last;
}

int main(void)
{
    static uint8_t wire[FRAME_MAX_WIRE], expect[256], payload[256];
    static frame_rx_t rx;
    frame_t f;
    int frames;
    for (size_t v = 0; v < sizeof vectors / sizeof vectors[0]; v++) {
        size_t en = hex_bytes(vectors[v].hex, expect, sizeof expect);
        size_t pn = hex_bytes(vectors[v].payload_hex, payload, sizeof payload);
        size_t n = frame_encode(vectors[v].kind, vectors[v].seq, vectors[v].status, payload,
                                (uint16_t)pn, wire, sizeof wire);
        CHECK_EQ(n, en);
        CHECK_MEM(wire, expect, en);
        frame_rx_init(&rx);
        CHECK_EQ(feed_all(&rx, expect, en, &f, &frames), FRAME_RX_FRAME);
        CHECK_EQ(frames, 1);
        CHECK_EQ(f.kind, vectors[v].kind);
        CHECK_EQ(f.seq, vectors[v].seq);
        CHECK_EQ(f.status, vectors[v].status);
        CHECK_EQ(f.len, pn);
        CHECK_MEM(f.payload, payload, pn);
    }
    size_t en = hex_bytes(vectors[4].hex, expect, sizeof expect);
    /* every single-bit corruption of a frame is rejected or, if it hits the delimiter, never
     * yields a wrong frame */
    for (size_t i = 0; i + 1 < en; i++)
        for (int b = 0; b < 8; b++) {
            uint8_t tmp[64];
            memcpy(tmp, expect, en);
            tmp[i] ^= (uint8_t)(1 << b);
            frame_rx_init(&rx);
            frame_rx_result_t r = feed_all(&rx, tmp, en, &f, &frames);
            CHECK(r != FRAME_RX_FRAME || (f.kind == 0x21 && f.seq == 4 && f.len == 5));
            if (tmp[i] != 0) CHECK_EQ(r, FRAME_RX_BAD);
        }
    /* truncated frames: every prefix followed by a delimiter is rejected */
    for (size_t cut = 1; cut + 1 < en; cut++) {
        frame_rx_init(&rx);
        uint8_t tmp[64];
        memcpy(tmp, expect, cut);
        tmp[cut] = 0;
        CHECK_EQ(feed_all(&rx, tmp, cut + 1, &f, &frames), FRAME_RX_BAD);
    }
    /* an empty frame is ignored; the receiver resynchronises on the next frame */
    frame_rx_init(&rx);
    uint8_t z = 0;
    CHECK_EQ(frame_rx_feed(&rx, z, &f), FRAME_RX_NONE);
    CHECK_EQ(feed_all(&rx, expect, en, &f, &frames), FRAME_RX_FRAME);
    /* oversized: a run longer than any legal frame is rejected once, then the next frame works */
    frame_rx_init(&rx);
    for (int i = 0; i < FRAME_MAX_WIRE + 50; i++) CHECK(frame_rx_feed(&rx, 0x55, &f) == FRAME_RX_NONE);
    CHECK_EQ(frame_rx_feed(&rx, 0, &f), FRAME_RX_BAD);
    CHECK_EQ(feed_all(&rx, expect, en, &f, &frames), FRAME_RX_FRAME);
    /* largest payload round-trips; one more byte cannot be encoded */
    static uint8_t big[FRAME_MAX_PAYLOAD + 1];
    for (size_t i = 0; i < sizeof big; i++) big[i] = (uint8_t)(i * 7);
    size_t n = frame_encode(0x11, 9, 0, big, FRAME_MAX_PAYLOAD, wire, sizeof wire);
    CHECK(n > 0);
    frame_rx_init(&rx);
    CHECK_EQ(feed_all(&rx, wire, n, &f, &frames), FRAME_RX_FRAME);
    CHECK_EQ(f.len, FRAME_MAX_PAYLOAD);
    CHECK_MEM(f.payload, big, FRAME_MAX_PAYLOAD);
    CHECK_EQ(frame_encode(0x11, 9, 0, big, FRAME_MAX_PAYLOAD + 1, wire, sizeof wire), 0);
    /* a well-formed frame whose len field disagrees with its size (CRC recomputed) */
    uint8_t raw[17] = {1, 0x21, 4, 0, 0, 0, 6, 0, 10, 0, 0, 0, 1};
    uint32_t crc = crc32_compute(raw, 13);
    for (int i = 0; i < 4; i++) raw[13 + i - 0] = (uint8_t)(crc >> (8 * i));
    uint8_t enc[32];
    size_t e = cobs_encode(raw, 17 - 0, enc, sizeof enc);
    enc[e] = 0;
    frame_rx_init(&rx);
    CHECK_EQ(feed_all(&rx, enc, e + 1, &f, &frames), FRAME_RX_BAD);
    /* wrong version with a good CRC */
    uint8_t raw2[12] = {2, 0x01, 1, 0, 0, 0, 0, 0};
    crc = crc32_compute(raw2, 8);
    for (int i = 0; i < 4; i++) raw2[8 + i] = (uint8_t)(crc >> (8 * i));
    e = cobs_encode(raw2, 12, enc, sizeof enc);
    enc[e] = 0;
    frame_rx_init(&rx);
    CHECK_EQ(feed_all(&rx, enc, e + 1, &f, &frames), FRAME_RX_BAD);
    return test_end("frame");
}
