/* Builds packed model blobs (MODEL_FORMAT.md) for tests, independently of the loader. */
#ifndef FW_BLOB_BUILDER_H
#define FW_BLOB_BUILDER_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t dtype, rank;
    uint16_t dims[4];
    int16_t zp;
    uint32_t offset;
} bt_tensor_t;

typedef struct {
    uint8_t type;
    uint16_t in, out;
    uint8_t n_params;
    int32_t p[16];
} bt_op_t;

/* Further inputs of op i after its `in` (ADD, CONCAT); n_extra 0 for one-input ops. */
typedef struct {
    uint8_t n_extra;
    uint16_t extra[3];
} bt_extra_t;

/* Layout: header, tensor table, op table, data (the data section ends the blob). */
size_t bt_build(uint8_t *out, size_t cap, const bt_tensor_t *t, int nt, const bt_op_t *ops,
                int nops, uint16_t input, uint16_t output, uint32_t arena, const uint8_t *data,
                uint32_t data_len);

/* bt_build with extra inputs per op (extra may be NULL: every op has one input). */
size_t bt_build_x(uint8_t *out, size_t cap, const bt_tensor_t *t, int nt, const bt_op_t *ops,
                  const bt_extra_t *extra, int nops, uint16_t input, uint16_t output, uint32_t arena,
                  const uint8_t *data, uint32_t data_len);

/* Packs rows x k weights of `bits` bits, each row byte-aligned; returns bytes written. */
size_t bt_pack(const int8_t *w, int rows, int k, int bits, uint8_t *out);

/* Data section helper: appends bytes/i32s at 4-aligned offsets; returns the offset. */
typedef struct { uint8_t buf[65536]; uint32_t len; } bt_data_t;
uint32_t bt_data_bytes(bt_data_t *d, const void *p, uint32_t n);
uint32_t bt_data_i32(bt_data_t *d, const int32_t *v, uint32_t n);

/* A small valid model used by several tests: conv(4-bit) -> maxpool -> reshape -> fc(8-bit)
 * -> clamp, input int8 [1,6,6], output [3]. Returns the blob size. */
size_t bt_demo_model(uint8_t *out, size_t cap);
#endif
