#include "kernels.h"

#include "../le.h"
#include "../quant.h"

const kernel_t *kernel_for(uint8_t op_type)
{
    switch (op_type) {
    case OP_FULLY_CONNECTED: return &k_fully_connected;
    case OP_CONV2D: return &k_conv2d;
    case OP_MAX_POOL: return &k_max_pool;
    case OP_GLOBAL_AVG_POOL: return &k_global_avg_pool;
    case OP_CLAMP: return &k_clamp;
    case OP_RESHAPE: return &k_reshape;
    case OP_ADD: return &k_add;
    case OP_LUT: return &k_lut;
    case OP_AVG_POOL: return &k_avg_pool;
    case OP_TRANSPOSE: return &k_transpose;
    case OP_PAD: return &k_pad;
    case OP_CONCAT: return &k_concat;
    default: return 0;
    }
}

bool data_ref_ok(const op_ctx_t *c, int32_t off, uint64_t bytes, uint32_t align)
{
    if (off < 0 || (uint32_t)off % align != 0) return false;
    return (uint64_t)(uint32_t)off + bytes <= c->data_size;
}

bool act_range_ok(int32_t lo, int32_t hi)
{
    return lo >= -128 && hi <= 127 && lo <= hi;
}

bool act_range_dt_ok(int32_t lo, int32_t hi, const tensor_info_t *out)
{
    return lo >= t_min(out) && hi <= t_max(out) && lo <= hi;
}

bool wide_shifts_ok(const op_ctx_t *c, int32_t shift_off, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (data_i32(c, shift_off, i) > 14) return false;
    return true;
}

int64_t data_i64(const op_ctx_t *c, int32_t off, uint32_t index)
{
    return le_i64(c->data + (uint32_t)off + 8u * index);
}

int32_t data_i32(const op_ctx_t *c, int32_t off, uint32_t index)
{
    return le_i32(c->data + (uint32_t)off + 4u * index);
}

bool requant_ok(const op_ctx_t *c, int32_t mult_off, int32_t shift_off, uint32_t n)
{
    if (!data_ref_ok(c, mult_off, 4ull * n, 4) || !data_ref_ok(c, shift_off, 4ull * n, 4))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        int32_t s = data_i32(c, shift_off, i);
        /* mult 0 is legal: QuantizeMultiplier gives (0, 0) when M < 2^-32. */
        if (data_i32(c, mult_off, i) < 0 || s < -31 || s > 30) return false;
    }
    return true;
}

int8_t requant_i8(int32_t x, int32_t zp_in, int32_t zp_out, int32_t mult, int32_t shift)
{
    /* both additions wrap in 32 bits like the host engine's unchecked int (no C signed overflow) */
    int32_t r = q_mbqm((int32_t)((uint32_t)x - (uint32_t)zp_in), mult, shift);
    return (int8_t)q_clamp((int32_t)((uint32_t)zp_out + (uint32_t)r), -128, 127);
}
