/* Turns the wire's event timeline into PPK2 samples: 10 us intervals, the current averaged
 * over each interval (as the PPK2 averages its ADC), D0 high when the trigger was high for at
 * least half of it. */
#ifndef PPK2_SAMPLER_H
#define PPK2_SAMPLER_H
#include <stdbool.h>
#include <stdint.h>
#include "sim_wire.h"

#define PPK2_SAMPLE_NS 10000u /* 100 ksps */

typedef struct {
    sim_wire_t *wire;        /* NULL: no wire (zero current, trigger low) */
    sim_wire_event_t state;  /* level in force */
    sim_wire_event_t next;   /* first unapplied event */
    bool has_next;
} ppk2_sampler_t;

void ppk2_sampler_init(ppk2_sampler_t *s, sim_wire_t *wire);
/* Average current (uA) and trigger over [t, t + PPK2_SAMPLE_NS). Calls must move forward in t. */
void ppk2_sampler_take(ppk2_sampler_t *s, uint64_t t, double *current_ua, bool *trigger);
#endif
