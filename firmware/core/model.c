#include "model.h"

#include <stddef.h>
#include "kernels/kernels.h"
#include "le.h"
#include "protocol_codes.h"

static union {
    uint32_t align; /* tensors are 4-aligned within the arena, so the arena is too */
    uint8_t bytes[FW_ARENA_BYTES];
} g_arena;

uint8_t *model_arena(void) { return g_arena.bytes; }

void model_tensor(const model_t *m, uint16_t index, tensor_info_t *t)
{
    const uint8_t *r = m->blob + m->tensors_off + (uint32_t)index * MODEL_TENSOR_BYTES;
    t->dtype = r[0];
    t->rank = r[1];
    t->count = 1;
    for (int i = 0; i < 4; i++) {
        t->dims[i] = le_u16(r + 2 + 2 * i);
        t->count *= t->dims[i];
    }
    t->zero_point = le_i16(r + 10);
    t->offset = le_u32(r + 12);
    t->bytes = t->count * (t->dtype == DTYPE_INT16 ? 2u : 1u);
}

bool model_op_at(const model_t *m, uint32_t off, op_record_t *op)
{
    if (off > m->size || m->size - off < 4) return false;
    const uint8_t *r = m->blob + off;
    op->type = r[0];
    op->n_inputs = r[1];
    op->n_outputs = r[2];
    op->n_params = r[3];
    uint32_t n_t = (uint32_t)op->n_inputs + op->n_outputs;
    uint32_t t_bytes = 2 * (n_t + (n_t & 1)); /* one u16 of padding when the count is odd */
    op->size = 4 + t_bytes + 4u * op->n_params;
    if (m->size - off < op->size) return false;
    op->tensors = r + 4;
    op->params = r + 4 + t_bytes;
    return true;
}

static bool fail(model_error_t *err, uint8_t status, uint32_t detail, const char *reason)
{
    err->status = status;
    err->detail = detail;
    err->reason = reason;
    return false;
}

static bool overlaps(const tensor_info_t *a, const tensor_info_t *b)
{
    return a->offset < b->offset + b->bytes && b->offset < a->offset + a->bytes;
}

/* Checks the tensor table: every tensor well formed and inside the arena. */
static bool check_tensors(const model_t *m, model_error_t *err)
{
    for (uint16_t i = 0; i < m->n_tensors; i++) {
        const uint8_t *r = m->blob + m->tensors_off + (uint32_t)i * MODEL_TENSOR_BYTES;
        uint8_t dtype = r[0], rank = r[1];
        if (dtype != DTYPE_INT8 && dtype != DTYPE_INT16) return fail(err, ST_MODEL_INVALID, i, "tensor: bad dtype");
        if (rank < 1 || rank > 4) return fail(err, ST_MODEL_INVALID, i, "tensor: rank not in 1..4");
        uint64_t count = 1;
        for (int d = 0; d < 4; d++) {
            uint16_t v = le_u16(r + 2 + 2 * d);
            if (v < 1 || (d >= rank && v != 1)) return fail(err, ST_MODEL_INVALID, i, "tensor: bad dims");
            count *= v;
        }
        int16_t zp = le_i16(r + 10);
        if (dtype == DTYPE_INT8 ? (zp < -128 || zp > 127) : zp != 0)
            return fail(err, ST_MODEL_INVALID, i, "tensor: bad zero point");
        uint32_t off = le_u32(r + 12);
        if (off % 4 != 0) return fail(err, ST_MODEL_INVALID, i, "tensor: arena offset not 4-aligned");
        if ((uint64_t)off + count * (dtype == DTYPE_INT16 ? 2u : 1u) > m->arena_bytes)
            return fail(err, ST_MODEL_INVALID, i, "tensor: outside arena_bytes");
    }
    return true;
}

/* Checks each op record against its kernel's rules. */
static bool check_ops(const model_t *m, model_error_t *err)
{
    uint32_t off = m->ops_off;
    for (uint16_t i = 0; i < m->n_ops; i++) {
        op_record_t op;
        if (!model_op_at(m, off, &op)) return fail(err, ST_MODEL_INVALID, i, "op: record outside the blob");
        off += op.size;
        const kernel_t *k = kernel_for(op.type);
        if (!k) return fail(err, ST_MODEL_INVALID, i, "op: unknown op_type");
        if (op.n_inputs < k->min_inputs || op.n_inputs > k->max_inputs || op.n_outputs != 1)
            return fail(err, ST_MODEL_INVALID, i, "op: wrong input/output count");
        if (op.n_params != k->n_params) return fail(err, ST_MODEL_INVALID, i, "op: wrong param count");
        uint16_t to = le_u16(op.tensors + 2u * op.n_inputs);
        if (to >= m->n_tensors) return fail(err, ST_MODEL_INVALID, i, "op: tensor index out of range");
        op_ctx_t c = {0};
        c.single_rounding = m->version >= 2;
        model_tensor(m, to, &c.out);
        c.n_in = op.n_inputs;
        for (uint8_t j = 0; j < op.n_inputs; j++) {
            uint16_t ti = le_u16(op.tensors + 2u * j);
            if (ti >= m->n_tensors) return fail(err, ST_MODEL_INVALID, i, "op: tensor index out of range");
            model_tensor(m, ti, &c.ins[j]);
            /* Only a single-input op may run exactly in place; any other overlap would let the
             * kernel read bytes it has already overwritten. */
            /* ... and only between equal dtypes: int8 -> int16 in place would overwrite inputs not yet read. */
            bool same = c.ins[j].offset == c.out.offset && op.n_inputs == 1 && c.ins[j].dtype == c.out.dtype;
            if (overlaps(&c.ins[j], &c.out) && !(k->in_place_ok && same))
                return fail(err, ST_MODEL_INVALID, i, "op: input and output overlap");
        }
        c.in = c.ins[0];
        for (uint8_t p = 0; p < op.n_params; p++) c.p[p] = le_i32(op.params + 4u * p);
        c.data = m->blob + m->data_off;
        c.data_size = m->size - m->data_off;
        op_cost_t cost;
        const char *why = k->check(&c, &cost);
        if (why) return fail(err, ST_MODEL_INVALID, i, why);
    }
    return true;
}

bool model_load(model_t *m, const uint8_t *blob, uint32_t size, uint32_t arena_capacity,
                model_error_t *err)
{
    if (size < MODEL_HEADER_BYTES) return fail(err, ST_MODEL_INVALID, 0, "header: blob shorter than 32 bytes");
    if (le_u32(blob) != MODEL_MAGIC) return fail(err, ST_MODEL_INVALID, 0, "header: bad magic");
    uint16_t version = le_u16(blob + 4);
    if (version < MODEL_VERSION_MIN || version > MODEL_VERSION) return fail(err, ST_MODEL_INVALID, 0, "header: unsupported format_version");
    if (le_u16(blob + 6) != MODEL_HEADER_BYTES) return fail(err, ST_MODEL_INVALID, 0, "header: header_bytes != 32");
    m->blob = blob;
    m->size = size;
    m->version = version;
    m->n_tensors = le_u16(blob + 8);
    m->n_ops = le_u16(blob + 10);
    m->input = le_u16(blob + 12);
    m->output = le_u16(blob + 14);
    m->arena_bytes = le_u32(blob + 16);
    m->tensors_off = le_u32(blob + 20);
    m->ops_off = le_u32(blob + 24);
    m->data_off = le_u32(blob + 28);
    if (m->n_tensors < 1 || m->n_tensors > MODEL_MAX_TENSORS) return fail(err, ST_MODEL_INVALID, 0, "header: n_tensors not in 1..256");
    if (m->n_ops < 1 || m->n_ops > MODEL_MAX_OPS) return fail(err, ST_MODEL_INVALID, 0, "header: n_ops not in 1..256");
    if (m->input >= m->n_tensors || m->output >= m->n_tensors) return fail(err, ST_MODEL_INVALID, 0, "header: input/output tensor index out of range");
    if ((uint64_t)m->tensors_off + (uint64_t)m->n_tensors * MODEL_TENSOR_BYTES > size)
        return fail(err, ST_MODEL_INVALID, 0, "header: tensor table outside the blob");
    if (m->ops_off % 4 != 0 || m->ops_off > size) return fail(err, ST_MODEL_INVALID, 0, "header: bad ops_offset");
    if (m->data_off > size) return fail(err, ST_MODEL_INVALID, 0, "header: data_offset outside the blob");
    if (m->arena_bytes > arena_capacity || arena_capacity > FW_ARENA_BYTES)
        return fail(err, ST_TOO_LARGE, m->arena_bytes, "arena_bytes exceeds the device arena");
    if (!check_tensors(m, err) || !check_ops(m, err)) return false;
    tensor_info_t t;
    model_tensor(m, m->input, &t);
    m->input_bytes = t.bytes;
    if (t.bytes > FW_INPUT_BYTES) return fail(err, ST_TOO_LARGE, t.bytes, "input tensor exceeds the device's input buffer");
    model_tensor(m, m->output, &t);
    m->output_bytes = t.bytes;
    return true;
}
