/* The shared weight unpacker against hand-packed bytes and a full pack/unpack sweep. */
#include "check.h"
#include "blob_builder.h"
#include "kernels/weights.h"

int main(void)
{
    /* hand-packed: 4-bit row {7,-7,1} = 0x97 0x01; 2-bit row {1,-1,1} = 0x1D; 3-bit {3,-3,2,-1} */
    uint8_t r4[] = {0x97, 0x01};
    CHECK_EQ(w_get(r4, 0, 4), 7);
    CHECK_EQ(w_get(r4, 1, 4), -7);
    CHECK_EQ(w_get(r4, 2, 4), 1);
    uint8_t r2[] = {0x1D};
    CHECK_EQ(w_get(r2, 0, 2), 1);
    CHECK_EQ(w_get(r2, 1, 2), -1);
    CHECK_EQ(w_get(r2, 2, 2), 1);
    CHECK_EQ(w_get(r2, 3, 2), 0);
    /* 3-bit: 3=011, -3=101, 2=010, -1=111: bits 011 101 010 111 (LSB first per value)
     * stream: b0..2 = 1,1,0; b3..5 = 1,0,1; b6..8 = 0,1,0; b9..11 = 1,1,1
     * byte0 = b0..7 = 1,1,0,1,0,1,0,1 -> 0xAB; byte1 = b8..11 = 0,1,1,1 -> 0x0E */
    uint8_t r3[] = {0xAB, 0x0E};
    CHECK_EQ(w_get(r3, 0, 3), 3);
    CHECK_EQ(w_get(r3, 1, 3), -3);
    CHECK_EQ(w_get(r3, 2, 3), 2);
    CHECK_EQ(w_get(r3, 3, 3), -1);
    int8_t w3[] = {3, -3, 2, -1};
    uint8_t out[16];
    CHECK_EQ(bt_pack(w3, 1, 4, 3, out), 2);
    CHECK_MEM(out, r3, 2);
    /* every value at every width, in rows whose length is not a multiple of 8 */
    for (int bits = 2; bits <= 8; bits++) {
        int lim = (1 << (bits - 1)) - 1;
        int8_t w[3 * 21];
        for (int i = 0; i < 63; i++) w[i] = (int8_t)(i % (2 * lim + 1) - lim);
        uint8_t packed[128];
        size_t n = bt_pack(w, 3, 21, bits, packed);
        CHECK_EQ(n, 3 * w_row_bytes(21, (unsigned)bits));
        size_t rb = (size_t)w_row_bytes(21, (unsigned)bits);
        int bad = 0;
        for (int r = 0; r < 3; r++)
            for (int i = 0; i < 21; i++)
                if (w_get(packed + r * rb, (uint32_t)i, (unsigned)bits) != w[r * 21 + i]) bad++;
        CHECK_EQ(bad, 0);
    }
    CHECK_EQ(w_row_bytes(9, 4), 5);
    CHECK_EQ(w_row_bytes(3, 2), 1);
    CHECK_EQ(w_row_bytes(3, 3), 2);
    return test_end("weights");
}
