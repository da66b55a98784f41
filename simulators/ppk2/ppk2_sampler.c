#include "ppk2_sampler.h"

#include <string.h>

void ppk2_sampler_init(ppk2_sampler_t *s, sim_wire_t *wire)
{
    memset(s, 0, sizeof *s);
    s->wire = wire;
    if (wire) sim_wire_seek_latest(wire, &s->state); /* the level in force now; no history */
}

static bool peek(ppk2_sampler_t *s)
{
    if (!s->has_next && s->wire) s->has_next = sim_wire_next(s->wire, &s->next);
    return s->has_next;
}

void ppk2_sampler_take(ppk2_sampler_t *s, uint64_t t, double *current_ua, bool *trigger)
{
    uint64_t end = t + PPK2_SAMPLE_NS, cur = t;
    double charge = 0; /* uA * ns */
    uint64_t high_ns = 0;
    while (peek(s) && s->next.t_ns < end) {
        uint64_t at = s->next.t_ns > cur ? s->next.t_ns : cur; /* late events apply at once */
        charge += (double)s->state.current_ua * (double)(at - cur);
        if (s->state.trigger) high_ns += at - cur;
        cur = at;
        s->state = s->next;
        s->has_next = false;
    }
    charge += (double)s->state.current_ua * (double)(end - cur);
    if (s->state.trigger) high_ns += end - cur;
    *current_ua = charge / PPK2_SAMPLE_NS;
    *trigger = high_ns * 2 >= PPK2_SAMPLE_NS;
}
