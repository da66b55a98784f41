/* MAX_POOL over [C,H,W] int8; padded positions are ignored, so every window must overlap
 * the input (checked), and output quantisation equals the input's. */
#include "kernels.h"

enum { P_KH, P_KW, P_SH, P_SW, P_PT, P_PL };
#define GEOM_MAX 4096

/* Does output index o's window [o*s - pad, o*s - pad + k) meet [0, n)? */
static bool window_meets(int32_t o, int32_t s, int32_t pad, int32_t k, int32_t n)
{
    int32_t start = o * s - pad;
    return start < n && start + k > 0;
}

static const char *check(const op_ctx_t *c, op_cost_t *cost)
{
    const int32_t *p = c->p;
    if (c->in.dtype != c->out.dtype) return "maxpool: dtypes differ";
    if (c->in.rank != 3 || c->out.rank != 3) return "maxpool: tensors must be [C,H,W]";
    if (c->in.dims[0] != c->out.dims[0]) return "maxpool: channel count differs";
    if (c->in.zero_point != c->out.zero_point) return "maxpool: output quantisation must equal input";
    for (int i = P_KH; i <= P_PL; i++) {
        int32_t lo = (i == P_PT || i == P_PL) ? 0 : 1;
        if (p[i] < lo || p[i] > GEOM_MAX) return "maxpool: kernel/stride/pad out of range";
    }
    int32_t H = c->in.dims[1], W = c->in.dims[2];
    if (!window_meets(0, p[P_SH], p[P_PT], p[P_KH], H) ||
        !window_meets(c->out.dims[1] - 1, p[P_SH], p[P_PT], p[P_KH], H) ||
        !window_meets(0, p[P_SW], p[P_PL], p[P_KW], W) ||
        !window_meets(c->out.dims[2] - 1, p[P_SW], p[P_PL], p[P_KW], W))
        return "maxpool: a window lies entirely in the padding";
    cost->macs = 0;
    cost->elems = (uint64_t)c->out.count * (uint32_t)p[P_KH] * (uint32_t)p[P_KW];
    cost->bits = 0;
    return 0;
}

static void run(const op_ctx_t *c)
{
    const int32_t *p = c->p;
    int32_t C = c->in.dims[0], H = c->in.dims[1], W = c->in.dims[2];
    int32_t OH = c->out.dims[1], OW = c->out.dims[2];
    for (int32_t ch = 0; ch < C; ch++) {
        uint32_t plane = (uint32_t)(ch * H * W);
        for (int32_t oy = 0; oy < OH; oy++) {
            for (int32_t ox = 0; ox < OW; ox++) {
                int32_t best = -32768;
                for (int32_t ky = 0; ky < p[P_KH]; ky++) {
                    int32_t iy = oy * p[P_SH] - p[P_PT] + ky;
                    if (iy < 0 || iy >= H) continue;
                    for (int32_t kx = 0; kx < p[P_KW]; kx++) {
                        int32_t ix = ox * p[P_SW] - p[P_PL] + kx;
                        if (ix < 0 || ix >= W) continue;
                        int32_t v = t_get(&c->in, c->x, plane + (uint32_t)(iy * W + ix));
                        if (v > best) best = v;
                    }
                }
                t_set(&c->out, c->y, (uint32_t)((ch * OH + oy) * OW + ox), best);
            }
        }
    }
}

const kernel_t k_max_pool = {"MAX_POOL", 6, false, check, run, 1, 1};
