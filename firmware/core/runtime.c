#include "runtime.h"

#include "../hal/hal.h"
#include "kernels/kernels.h"
#include "le.h"

void runtime_invoke(const model_t *m)
{
    uint8_t *arena = model_arena();
    uint32_t off = m->ops_off;
    for (uint16_t i = 0; i < m->n_ops; i++) {
        op_record_t op;
        if (!model_op_at(m, off, &op)) return; /* cannot happen for a loaded model */
        off += op.size;
        const kernel_t *k = kernel_for(op.type);
        op_ctx_t c;
        c.single_rounding = m->version >= 2;
        c.n_in = op.n_inputs;
        for (uint8_t j = 0; j < op.n_inputs; j++) {
            model_tensor(m, le_u16(op.tensors + 2u * j), &c.ins[j]);
            c.xs[j] = (const int8_t *)(arena + c.ins[j].offset);
        }
        c.in = c.ins[0];
        model_tensor(m, le_u16(op.tensors + 2u * op.n_inputs), &c.out);
        for (uint8_t p = 0; p < op.n_params; p++) c.p[p] = le_i32(op.params + 4u * p);
        c.data = m->blob + m->data_off;
        c.data_size = m->size - m->data_off;
        c.x = (const int8_t *)(arena + c.in.offset);
        c.y = (int8_t *)(arena + c.out.offset);
        op_cost_t cost;
        k->check(&c, &cost); /* cheap; gives the cost figures (validity was proven at load) */
        k->run(&c);
        hal_account_op(op.type, cost.bits, cost.macs, cost.elems);
    }
}
