/* AVG_POOL over [C,H,W] int8, output quantisation equals the input's (the host guarantees it):
 * y = zp + round_half_away(sum(x - zp) / count), count = kh·kw when count_include_pad (padded
 * positions are real zeros, i.e. contribute 0 after subtracting zp), else the valid positions. */
#include "kernels.h"
#include "../quant.h"

enum { P_KH, P_KW, P_SH, P_SW, P_PT, P_PL, P_INCL, P_MIN, P_MAX };
/* kh·kw ≤ 2^16 keeps 255·kh·kw inside int32. */
#define K_MAX 256

static bool window_meets(int32_t o, int32_t s, int32_t pad, int32_t k, int32_t n)
{
    int32_t start = o * s - pad;
    return start < n && start + k > 0;
}

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.dtype != c->out.dtype) return "avgpool: dtypes differ";
    if (c->in.rank != 3 || c->out.rank != 3) return "avgpool: tensors must be [C,H,W]";
    if (c->in.dims[0] != c->out.dims[0]) return "avgpool: channel count differs";
    if (c->in.zero_point != c->out.zero_point) return "avgpool: output quantisation must equal input";
    if (p[P_KH] < 1 || p[P_KH] > K_MAX || p[P_KW] < 1 || p[P_KW] > K_MAX) return "avgpool: kernel out of range";
    if (p[P_SH] < 1 || p[P_SH] > 4096 || p[P_SW] < 1 || p[P_SW] > 4096) return "avgpool: stride out of range";
    if (p[P_PT] < 0 || p[P_PT] >= p[P_KH] || p[P_PL] < 0 || p[P_PL] >= p[P_KW]) return "avgpool: pad out of range";
    if (p[P_INCL] != 0 && p[P_INCL] != 1) return "avgpool: count_include_pad must be 0 or 1";
    if (!act_range_dt_ok(p[P_MIN], p[P_MAX], &c->out)) return "avgpool: bad act_min/act_max";
    int32_t H = c->in.dims[1], W = c->in.dims[2];
    /* Every window must hold at least one real input (count >= 1 without padding). */
    if (!window_meets(c->out.dims[1] - 1, p[P_SH], p[P_PT], p[P_KH], H) ||
        !window_meets(c->out.dims[2] - 1, p[P_SW], p[P_PL], p[P_KW], W))
        return "avgpool: a window lies entirely in the padding";
    cost->macs = 0;
    cost->elems = (uint64_t)c->out.count * (uint32_t)p[P_KH] * (uint32_t)p[P_KW];
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    int32_t C = c->in.dims[0], H = c->in.dims[1], W = c->in.dims[2];
    int32_t OH = c->out.dims[1], OW = c->out.dims[2], zp = c->in.zero_point;
    for (int32_t ch = 0; ch < C; ch++) {
        uint32_t plane = (uint32_t)(ch * H * W);
        for (int32_t oy = 0; oy < OH; oy++) {
            for (int32_t ox = 0; ox < OW; ox++) {
                int64_t sum = 0; /* int16 windows can pass 2^31 */
                int32_t n = 0;
                for (int32_t ky = 0; ky < p[P_KH]; ky++) {
                    int32_t iy = oy * p[P_SH] - p[P_PT] + ky;
                    if (iy < 0 || iy >= H) continue;
                    for (int32_t kx = 0; kx < p[P_KW]; kx++) {
                        int32_t ix = ox * p[P_SW] - p[P_PL] + kx;
                        if (ix < 0 || ix >= W) continue;
                        sum += t_get(&c->in, c->x, plane + (uint32_t)(iy * W + ix)) - zp;
                        n++;
                    }
                }
                int32_t count = p[P_INCL] ? p[P_KH] * p[P_KW] : n;
                int64_t avg = sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
                t_set(&c->out, c->y, (uint32_t)((ch * OH + oy) * OW + ox), q_clamp((int32_t)(zp + avg), p[P_MIN], p[P_MAX]));
            }
        }
    }
}

const kernel_t k_avg_pool = {"AVG_POOL", 9, false, check, run, 1, 1};
