/* One file per op (as TFLite Micro does). Each op knows how to check its own record (shapes,
 * params, data references) and how to run; the loader and runtime only dispatch. */
#ifndef FW_KERNELS_H
#define FW_KERNELS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../model.h"
#include "../quant.h"

/* Most ops read one tensor; ADD and CONCAT read several. */
#define KERNEL_MAX_INPUTS 4

typedef struct {
    tensor_info_t in, out; /* in = ins[0], kept so single-input kernels read naturally */
    const int8_t *x; /* input tensor in the arena (NULL while checking) */
    int8_t *y;       /* output tensor in the arena (NULL while checking) */
    uint8_t n_in;    /* inputs in the record (within the kernel's min..max) */
    tensor_info_t ins[KERNEL_MAX_INPUTS];
    const int8_t *xs[KERNEL_MAX_INPUTS];
    int32_t p[MODEL_MAX_PARAMS];
    const uint8_t *data; /* constant data section */
    uint32_t data_size;
    bool single_rounding; /* format 2: k_mbqm rounds once (q_mbqm1); format 1: q_mbqm */
} op_ctx_t;

typedef struct {
    uint64_t macs, elems;
    uint8_t bits; /* weight bits for MAC ops, 0 otherwise */
} op_cost_t;

typedef struct {
    const char *name;
    uint8_t n_params;
    bool in_place_ok; /* output may be the input's exact bytes (else no overlap at all) */
    /* NULL when the op is valid (and fills *cost), else a static reason. */
    const char *(*check)(const op_ctx_t *c, op_cost_t *cost);
    void (*run)(const op_ctx_t *c);
    uint8_t min_inputs, max_inputs; /* input count the record may carry */
} kernel_t;

const kernel_t *kernel_for(uint8_t op_type);

/* Shared checks used by several kernels. */
bool data_ref_ok(const op_ctx_t *c, int32_t off, uint64_t bytes, uint32_t align);
bool act_range_ok(int32_t lo, int32_t hi);
/* mult > 0 and shift in -31..30 for n per-channel entries at the given data offsets. */
bool requant_ok(const op_ctx_t *c, int32_t mult_off, int32_t shift_off, uint32_t n);
int32_t data_i32(const op_ctx_t *c, int32_t off, uint32_t index);

/* act_min/act_max inside the output tensor's dtype (int8 or int16). */
bool act_range_dt_ok(int32_t lo, int32_t hi, const tensor_info_t *out);
/* Every shift at shift_off[0..n) is <= 14 (the int64 requantisation of int16 inputs). */
bool wide_shifts_ok(const op_ctx_t *c, int32_t shift_off, uint32_t n);
int64_t data_i64(const op_ctx_t *c, int32_t off, uint32_t index);

/* The blob format's int32 requantisation. */
static inline int32_t k_mbqm(const op_ctx_t *c, int32_t x, int32_t mult, int32_t shift)
{
    return c->single_rounding ? q_mbqm1(x, mult, shift) : q_mbqm(x, mult, shift);
}

/* Element i of an arena tensor of either dtype; int16 is little-endian, read byte-wise so the
 * code needs neither alignment nor a particular host byte order. */
static inline int32_t t_get(const tensor_info_t *t, const void *base, uint32_t i)
{
    const uint8_t *b = (const uint8_t *)base;
    if (t->dtype == DTYPE_INT16) return (int16_t)(uint16_t)(b[2u * i] | (b[2u * i + 1] << 8));
    return (int8_t)b[i];
}
static inline void t_set(const tensor_info_t *t, void *base, uint32_t i, int32_t v)
{
    uint8_t *b = (uint8_t *)base;
    if (t->dtype == DTYPE_INT16) {
        b[2u * i] = (uint8_t)v;
        b[2u * i + 1] = (uint8_t)((uint32_t)v >> 8);
    } else {
        b[i] = (uint8_t)v;
    }
}
static inline int32_t t_min(const tensor_info_t *t) { return t->dtype == DTYPE_INT16 ? -32768 : -128; }
static inline int32_t t_max(const tensor_info_t *t) { return t->dtype == DTYPE_INT16 ? 32767 : 127; }
static inline uint32_t t_elem_bytes(const tensor_info_t *t) { return t->dtype == DTYPE_INT16 ? 2u : 1u; }

/* Per-tensor requantisation of int8 x (zero point zp_in) to an output zero point zp_out. */
int8_t requant_i8(int32_t x, int32_t zp_in, int32_t zp_out, int32_t mult, int32_t shift);

extern const kernel_t k_fully_connected, k_conv2d, k_max_pool, k_global_avg_pool, k_clamp,
    k_reshape, k_add, k_lut, k_avg_pool, k_transpose, k_pad, k_concat;
#endif
