/* Turns one triggered inference reported by the QEMU port's trigger line (virtual ns) into
 * events on the simulated wire (real CLOCK_MONOTONIC ns), so the PPK2 simulator sees a window
 * of the virtual length with the board's currents. Pure: no I/O, so it is unit-testable. */
#ifndef TRIGGER_REPLAY_H
#define TRIGGER_REPLAY_H
#include <stdbool.h>
#include <stdint.h>

#define REPLAY_MAX_OPS 512
/* Idle gap kept between windows, as the host port does, so a 100 ksps monitor separates them. */
#define REPLAY_GAP_NS 20000u

typedef struct {
    uint32_t idle_ua, active_ua, ua_per_bit;
} replay_currents_t;

typedef struct {
    replay_currents_t cur;
    uint64_t rise_v;             /* virtual ns of the rising edge */
    bool in_window;
    uint32_t n_ops;
    uint64_t op_v[REPLAY_MAX_OPS];
    uint8_t op_bits[REPLAY_MAX_OPS];
    uint64_t last_end_real;      /* real ns of the previous falling edge */
} replay_t;

typedef struct {
    uint64_t t_ns;
    uint32_t trigger, current_ua;
} replay_event_t;

void replay_init(replay_t *r, const replay_currents_t *cur);
/* Feeds one line ("R t", "O t bits", "F t", without '\n'). Returns false for a malformed line
 * (ignored). On 'F' returns true and sets *n_events > 0: the events to append (at most
 * REPLAY_MAX_OPS + 2) starting no earlier than now_real, and *ack_at = when to send 'A'. */
bool replay_line(replay_t *r, const char *line, uint64_t now_real, replay_event_t *events,
                 uint32_t *n_events, uint64_t *ack_at);
#endif
