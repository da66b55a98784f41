#include <stdlib.h>
#include "check.h"
#include "cobs.h"

static void round_trip(const uint8_t *in, size_t n)
{
    static uint8_t enc[4096], dec[4096];
    size_t e = cobs_encode(in, n, enc, sizeof enc);
    CHECK(e > 0 && e <= COBS_MAX_ENCODED(n));
    for (size_t i = 0; i < e; i++)
        if (enc[i] == 0) { CHECK(enc[i] != 0); break; }
    size_t d = cobs_decode(enc, e, dec, sizeof dec);
    CHECK_EQ(d, n);
    if (d == n) CHECK_MEM(dec, in, n);
}

int main(void)
{
    static uint8_t buf[2048];
    /* known encodings (from the COBS paper's examples) */
    uint8_t enc[16], dec[16];
    uint8_t a[] = {0x00};
    CHECK_EQ(cobs_encode(a, 1, enc, sizeof enc), 2);
    CHECK(enc[0] == 1 && enc[1] == 1);
    uint8_t b[] = {0x11, 0x22, 0x00, 0x33};
    CHECK_EQ(cobs_encode(b, 4, enc, sizeof enc), 5);
    uint8_t b_enc[] = {0x03, 0x11, 0x22, 0x02, 0x33};
    CHECK_MEM(enc, b_enc, 5);
    CHECK_EQ(cobs_encode(b, 0, enc, sizeof enc), 1);
    CHECK_EQ(enc[0], 1);
    /* runs of non-zero bytes around the 254-byte block limit */
    for (size_t len = 250; len <= 520; len++) {
        for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)(i % 255 + 1);
        round_trip(buf, len);
    }
    for (size_t i = 0; i < 254; i++) buf[i] = 0x42;
    size_t e = cobs_encode(buf, 254, buf + 512, 512);
    CHECK_EQ(e, 256); /* FF, 254 bytes, 01 */
    CHECK_EQ(buf[512], 0xFF);
    CHECK_EQ(buf[512 + 255], 0x01);
    e = cobs_encode(buf, 255, buf + 1024, 512);
    CHECK_EQ(e, 257); /* FF, 254 bytes, 02, 1 byte */
    /* zeros everywhere, random data */
    memset(buf, 0, 600);
    round_trip(buf, 600);
    srand(7);
    for (int iter = 0; iter < 500; iter++) {
        size_t n = (size_t)(rand() % 1200);
        for (size_t i = 0; i < n; i++) buf[i] = (uint8_t)(rand() % 4 == 0 ? 0 : rand());
        round_trip(buf, n);
    }
    /* malformed input is rejected */
    uint8_t bad1[] = {0x05, 0x11, 0x22};       /* code runs past the end */
    CHECK_EQ(cobs_decode(bad1, 3, dec, sizeof dec), COBS_ERROR);
    uint8_t bad2[] = {0x03, 0x11, 0x00, 0x01}; /* a zero inside */
    CHECK_EQ(cobs_decode(bad2, 4, dec, sizeof dec), COBS_ERROR);
    uint8_t fits[] = {0x04, 1, 2, 3};
    CHECK_EQ(cobs_decode(fits, 4, dec, 2), COBS_ERROR); /* output too small */
    CHECK_EQ(cobs_encode(b, 4, enc, 3), 0);
    return test_end("cobs");
}
