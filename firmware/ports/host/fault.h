/* A noisy serial line for tests: each byte is, with probability p, flipped, dropped or
 * duplicated (equally likely). Deterministic for a given seed. */
#ifndef HOST_FAULT_H
#define HOST_FAULT_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    double p;
    uint64_t state;
    uint64_t injected; /* faults so far, for the log */
} fault_t;

void fault_init(fault_t *f, double p, uint64_t seed);
/* Copies in[0..n) to out (capacity >= 2n) with faults applied; returns the output length. */
size_t fault_apply(fault_t *f, const uint8_t *in, size_t n, uint8_t *out);
#endif
