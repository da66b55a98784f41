/* The loader against truncated and randomly mutated blobs: it must reject or accept without
 * ever touching memory outside the blob and arena (ASan/UBSan abort the test otherwise), and
 * anything it accepts must run safely. */
#include <stdlib.h>
#include "check.h"
#include "blob_builder.h"
#include "fake_hal.h"
#include "model.h"
#include "runtime.h"

int main(void)
{
    static uint8_t blob[8192];
    size_t size = bt_demo_model(blob, sizeof blob);
    model_t m;
    model_error_t err;
    CHECK(model_load(&m, blob, (uint32_t)size, 65536, &err));

    /* every truncation is rejected (the data section ends exactly at the blob's end) */
    int accepted = 0;
    for (size_t cut = 0; cut < size; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exact-size heap copy: ASan sees any overread */
        memcpy(copy, blob, cut);
        if (model_load(&m, copy, (uint32_t)cut, 65536, &err)) accepted++;
        free(copy);
    }
    CHECK_EQ(accepted, 0);

    /* arena larger than the device's */
    CHECK(!model_load(&m, blob, (uint32_t)size, 100, &err));
    CHECK_EQ(err.status, 9);

    /* mutations of header and tables (where the rules live) and anywhere */
    srand(12345);
    int rejected = 0, runs = 0;
    size_t tables_end = 32 + 16 * 6 + 200;
    for (int iter = 0; iter < 3000; iter++) {
        uint8_t *copy = malloc(size);
        memcpy(copy, blob, size);
        int nmut = 1 + rand() % 4;
        for (int k = 0; k < nmut; k++) {
            size_t pos = (size_t)rand() % (iter % 2 ? size : (tables_end < size ? tables_end : size));
            switch (rand() % 3) {
            case 0: copy[pos] ^= (uint8_t)(1u << (rand() % 8)); break;
            case 1: copy[pos] = (uint8_t)rand(); break;
            default: copy[pos] = (uint8_t)(rand() % 2 ? 0xFF : 0x00); break;
            }
        }
        if (model_load(&m, copy, (uint32_t)size, 65536, &err)) {
            runtime_invoke(&m);
            runs++;
        } else {
            rejected++;
            CHECK(err.reason != 0 && (err.status == 7 || err.status == 9));
        }
        free(copy);
    }
    printf("mutations: %d rejected, %d accepted and ran\n", rejected, runs);
    CHECK(rejected > 1000); /* the validator is actually checking things */

    /* specific rule violations */
    struct { size_t off; uint8_t val; } cases[] = {
        {0, 0x46},       /* magic */
        {6, 33},         /* header_bytes */
        {8, 0},          /* n_tensors = 0 */
        {10, 0},         /* n_ops = 0 */
        {12, 6},         /* input index == n_tensors */
        {32 + 0, 3},     /* tensor 0 dtype */
        {32 + 1, 5},     /* tensor 0 rank */
        {32 + 12, 2},    /* tensor 0 arena offset not aligned */
        {32 + 16 + 15, 1}, /* tensor 1 far outside the arena */
        {32 + 96 + 3, 15}, /* op 0 param count */
        {32 + 96 + 0, 7},  /* op 0 type unknown */
        {32 + 96 + 8, 9},  /* conv bits = 9 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint8_t *copy = malloc(size);
        memcpy(copy, blob, size);
        copy[cases[i].off] = cases[i].val;
        bool ok = model_load(&m, copy, (uint32_t)size, 65536, &err);
        if (ok) fprintf(stderr, "mutation at %zu accepted\n", cases[i].off);
        CHECK(!ok);
        free(copy);
    }
    return test_end("model_fuzz");
}
