/* The packed model blob (MODEL_FORMAT.md): loader/validator and accessors. A model_t only
 * ever describes a blob that passed model_load, so the runtime need not re-check anything. */
#ifndef FW_MODEL_H
#define FW_MODEL_H
#include <stdbool.h>
#include <stdint.h>

#define MODEL_MAGIC        0x424D4145u
#define MODEL_VERSION      2 /* newest: 2 = single-rounding requantisation (q_mbqm1) */
#define MODEL_VERSION_MIN  1 /* 1 = gemmlowp double rounding (q_mbqm) */
#define MODEL_HEADER_BYTES 32
#define MODEL_TENSOR_BYTES 16
#define MODEL_MAX_TENSORS  256
#define MODEL_MAX_OPS      256
#define MODEL_MAX_PARAMS   16

/* Size of the static activation arena. Ports pick it at build time (the host port is large so
 * that --arena-bytes can choose any capacity up to it). */
#ifndef FW_ARENA_BYTES
#define FW_ARENA_BYTES (64u * 1024u)
#endif
/* The device keeps the SET_INPUT bytes apart from the arena and copies them into the input
 * tensor before every inference, so arena planners may reuse the input's bytes once it has
 * been read (RUN n>1 still sees the same input). */
#ifndef FW_INPUT_BYTES
#define FW_INPUT_BYTES (16u * 1024u)
#endif

enum {
    OP_FULLY_CONNECTED = 1,
    OP_CONV2D = 2,
    OP_MAX_POOL = 3,
    OP_GLOBAL_AVG_POOL = 4,
    OP_CLAMP = 5,
    OP_RESHAPE = 6,
    OP_ADD = 7,
    OP_LUT = 8,
    OP_AVG_POOL = 9,
    OP_TRANSPOSE = 10,
    OP_PAD = 11,
    OP_CONCAT = 12,
};

enum { DTYPE_INT8 = 1, DTYPE_INT16 = 2 };

typedef struct {
    uint8_t dtype, rank;
    uint16_t dims[4];
    int16_t zero_point;
    uint32_t offset; /* in the arena */
    uint32_t count;  /* elements */
    uint32_t bytes;
} tensor_info_t;

typedef struct {
    uint8_t type, n_inputs, n_outputs, n_params;
    const uint8_t *tensors; /* u16 LE each */
    const uint8_t *params;  /* i32 LE each */
    uint32_t size;          /* record bytes */
} op_record_t;

typedef struct {
    const uint8_t *blob;
    uint32_t size;
    uint16_t version; /* format_version: 1 or 2 */
    uint16_t n_tensors, n_ops, input, output;
    uint32_t arena_bytes, tensors_off, ops_off, data_off;
    uint32_t input_bytes, output_bytes;
} model_t;

typedef struct {
    uint8_t status;     /* PROTOCOL.md code: MODEL_INVALID or TOO_LARGE */
    uint32_t detail;    /* failing op index, tensor index, or 0 */
    const char *reason; /* static ASCII text */
} model_error_t;

/* Validates blob[0..size) against every rule of MODEL_FORMAT.md and an arena of
 * arena_capacity bytes. Returns true and fills *m, or false and fills *err. */
bool model_load(model_t *m, const uint8_t *blob, uint32_t size, uint32_t arena_capacity,
                model_error_t *err);

/* Accessors for a loaded model (indices and offsets already validated). */
void model_tensor(const model_t *m, uint16_t index, tensor_info_t *t);
/* Decodes the op record at byte offset off; false if it does not fit in the blob. */
bool model_op_at(const model_t *m, uint32_t off, op_record_t *op);

/* The static activation arena, 4-byte aligned, FW_ARENA_BYTES long. */
uint8_t *model_arena(void);
#endif
