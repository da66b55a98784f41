#include "trigger_replay.h"

#include <stdlib.h>
#include <string.h>

void replay_init(replay_t *r, const replay_currents_t *cur)
{
    memset(r, 0, sizeof *r);
    r->cur = *cur;
}

static bool parse_u64(const char *s, uint64_t *v, const char **end)
{
    char *e;
    if (*s < '0' || *s > '9') return false;
    *v = strtoull(s, &e, 10);
    *end = e;
    return true;
}

bool replay_line(replay_t *r, const char *line, uint64_t now_real, replay_event_t *events,
                 uint32_t *n_events, uint64_t *ack_at)
{
    *n_events = 0;
    if (!line[0] || line[1] != ' ') return false;
    uint64_t t, bits = 0;
    const char *end;
    if (!parse_u64(line + 2, &t, &end)) return false;
    switch (line[0]) {
    case 'R':
        if (*end) return false;
        r->rise_v = t;
        r->in_window = true;
        r->n_ops = 0;
        return true;
    case 'O':
        if (*end != ' ' || !parse_u64(end + 1, &bits, &end) || *end || bits > 8) return false;
        if (!r->in_window || t < r->rise_v) return false;
        if (r->n_ops < REPLAY_MAX_OPS) {
            r->op_v[r->n_ops] = t;
            r->op_bits[r->n_ops] = (uint8_t)bits;
            r->n_ops++;
        }
        return true;
    case 'F':
        if (*end || !r->in_window || t < r->rise_v) return false;
        break;
    default:
        return false;
    }
    r->in_window = false;
    uint64_t t0 = now_real;
    if (r->last_end_real && t0 < r->last_end_real + REPLAY_GAP_NS) t0 = r->last_end_real + REPLAY_GAP_NS;
    uint32_t n = 0;
    events[n++] = (replay_event_t){t0, 1, r->cur.active_ua};
    for (uint32_t i = 0; i < r->n_ops; i++) {
        uint32_t ua = r->cur.active_ua + (uint32_t)r->op_bits[i] * r->cur.ua_per_bit;
        uint64_t at = t0 + (r->op_v[i] - r->rise_v);
        if (at > t0 + (t - r->rise_v)) at = t0 + (t - r->rise_v); /* keep the order */
        events[n++] = (replay_event_t){at, 1, ua};
    }
    uint64_t end_real = t0 + (t - r->rise_v);
    events[n++] = (replay_event_t){end_real, 0, r->cur.idle_ua};
    r->last_end_real = end_real;
    *n_events = n;
    *ack_at = end_real + REPLAY_GAP_NS;
    return true;
}
