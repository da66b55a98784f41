#include "check.h"
#include "crc32.h"

int main(void)
{
    CHECK_EQ(crc32_compute((const uint8_t *)"123456789", 9), 0xCBF43926u);
    CHECK_EQ(crc32_compute((const uint8_t *)"", 0), 0);
    /* incremental == one shot */
    const uint8_t *s = (const uint8_t *)"The quick brown fox jumps over the lazy dog";
    CHECK_EQ(crc32_compute(s, 43), 0x414FA339u);
    CHECK_EQ(crc32_update(crc32_update(0, s, 10), s + 10, 33), 0x414FA339u);
    uint8_t zeros[32] = {0};
    CHECK_EQ(crc32_compute(zeros, 32), 0x190A55ADu);
    return test_end("crc32");
}
