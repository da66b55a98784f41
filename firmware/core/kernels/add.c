/* ADD of two int8/int16 tensors (any mix) of the same shape (residual connections), TFLite int8 Add style:
 * both inputs are shifted left by `left` bits and rescaled to a common scale (2·max(s1,s2)),
 * summed, then rescaled to the output. The left shift keeps the precision the per-input
 * multipliers (< 1) would otherwise round away. */
#include "kernels.h"
#include "../quant.h"

enum { P_MIN, P_MAX, P_LEFT, P_M1, P_S1, P_M2, P_S2, P_MO, P_SO };

static bool mult_ok(int32_t m, int32_t s) { return m >= 0 && s >= -31 && s <= 30; }

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->n_in != 2) return "add: needs 2 inputs";
    if (c->ins[0].count != c->out.count || c->ins[1].count != c->out.count) return "add: element counts differ";
    /* |x - zp| <= 255 < 2^8, so 2^22 keeps (x - zp) << left inside int32 and each rescaled
     * term (multiplier < 2^31 · 2^(s-31) with s <= 0) below 2^30: their sum cannot overflow. */
    if (p[P_LEFT] < 0 || p[P_LEFT] > 22) return "add: left shift not in 0..22";
    /* int16: |x| <= 2^15, so 15 is the most that stays inside int32 */
    if ((c->ins[0].dtype == DTYPE_INT16 || c->ins[1].dtype == DTYPE_INT16) && p[P_LEFT] > 15)
        return "add: int16 input needs left shift <= 15";
    if (p[P_S1] > 0 || p[P_S2] > 0) return "add: input multipliers must be < 1 (shift <= 0)";
    if (!mult_ok(p[P_M1], p[P_S1]) || !mult_ok(p[P_M2], p[P_S2]) || !mult_ok(p[P_MO], p[P_SO]))
        return "add: bad mult/shift";
    if (!act_range_dt_ok(p[P_MIN], p[P_MAX], &c->out)) return "add: bad act_min/act_max";
    cost->macs = 0;
    cost->elems = c->out.count;
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    int32_t z1 = c->ins[0].zero_point, z2 = c->ins[1].zero_point, zo = c->out.zero_point;
    for (uint32_t i = 0; i < c->out.count; i++) {
        int32_t a = (t_get(&c->ins[0], c->xs[0], i) - z1) * (1 << p[P_LEFT]);
        int32_t b = (t_get(&c->ins[1], c->xs[1], i) - z2) * (1 << p[P_LEFT]);
        int32_t sum = k_mbqm(c, a, p[P_M1], p[P_S1]) + k_mbqm(c, b, p[P_M2], p[P_S2]);
        int32_t v = zo + k_mbqm(c, sum, p[P_MO], p[P_SO]);
        t_set(&c->out, c->y, i, q_clamp(v, p[P_MIN], p[P_MAX]));
    }
}

const kernel_t k_add = {"ADD", 9, false, check, run, 2, 2};
