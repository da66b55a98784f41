#include "fault.h"

/* splitmix64: tiny, good enough, and the same sequence everywhere */
static uint64_t next(fault_t *f)
{
    uint64_t z = (f->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void fault_init(fault_t *f, double p, uint64_t seed)
{
    f->p = p;
    f->state = seed;
    f->injected = 0;
}

size_t fault_apply(fault_t *f, const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        double u = (double)(next(f) >> 11) * (1.0 / 9007199254740992.0);
        if (f->p <= 0 || u >= f->p) { out[o++] = in[i]; continue; }
        f->injected++;
        switch (next(f) % 3) {
        case 0: out[o++] = in[i] ^ (uint8_t)(1u << (next(f) % 8)); break; /* flip one bit */
        case 1: break;                                                    /* drop */
        default: out[o++] = in[i]; out[o++] = in[i]; break;               /* duplicate */
        }
    }
    return o;
}
