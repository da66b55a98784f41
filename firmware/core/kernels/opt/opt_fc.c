/* FULLY_CONNECTED on Cortex-M4: x - zp is widened once into an int16 column (K values, shared
 * by all N rows), then four output rows at a time share each column load (opt_dot4x1). */
#include "opt.h"
#include "opt_scratch.h"
#include "opt_requant.h"

enum { P_BITS, P_K, P_N, P_MIN, P_MAX, P_W, P_BIAS, P_MULT, P_SHIFT };

uint32_t opt_scratch[OPT_SCRATCH_BYTES / 4];

bool opt_fully_connected_run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    unsigned bits = (unsigned)p[P_BITS];
    uint32_t k = (uint32_t)p[P_K], n = (uint32_t)p[P_N];
    /* one column of k int16, padded to a whole group (16 values at most) */
    if (c->in.dtype != DTYPE_INT8 || c->out.dtype != DTYPE_INT8 || !opt_k_ok(k, bits, OPT_SCRATCH_BYTES / 2 - 16))
        return false;
    uint32_t *col = opt_scratch; /* x - zp in SMLAD pair order */
    int32_t zp_in = c->in.zero_point, zp_out = c->out.zero_point;
    opt_pack_col(c->x, zp_in, k, bits, col);
    uint32_t row_bytes = (k * bits + 7) / 8;
    const uint8_t *w = c->data + p[P_W];
    for (uint32_t o = 0; o < n; o += 4) {
        const uint8_t *r[4];
        uint32_t acc[4];
        /* a short last block repeats its last row: wasted work, never a wrong read */
        for (uint32_t j = 0; j < 4; j++) r[j] = w + (size_t)(o + j < n ? o + j : n - 1) * row_bytes;
        opt_dot4x1(r, row_bytes, col, k, bits, acc);
        for (uint32_t j = 0; j < 4 && o + j < n; j++) {
            uint32_t oj = o + j;
            opt_chan_t q = opt_chan(c->data, p[P_BIAS], p[P_MULT], p[P_SHIFT], oj, c->single_rounding);
            c->y[oj] = opt_requant(acc[j], &q, zp_out, p[P_MIN], p[P_MAX]);
        }
    }
    return true;
}
