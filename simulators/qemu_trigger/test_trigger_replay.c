/* The replay of a QEMU trigger-line window onto the simulated wire: timing and currents. */
#include <stdio.h>
#include "../tests/check.h"
#include "trigger_replay.h"

int main(void)
{
    replay_t r;
    replay_currents_t cur = {2000, 20000, 1000};
    replay_init(&r, &cur);
    replay_event_t ev[REPLAY_MAX_OPS + 2];
    uint32_t n;
    uint64_t ack;
    CHECK(replay_line(&r, "R 1000", 5000000, ev, &n, &ack) && n == 0);
    CHECK(replay_line(&r, "O 1000 4", 5000000, ev, &n, &ack) && n == 0);
    CHECK(replay_line(&r, "O 3000 0", 5000000, ev, &n, &ack) && n == 0);
    CHECK(replay_line(&r, "F 4000", 5000000, ev, &n, &ack));
    CHECK((n) == (4));
    CHECK((ev[0].t_ns) == (5000000)); CHECK((ev[0].trigger) == (1)); CHECK((ev[0].current_ua) == (20000));
    CHECK((ev[1].t_ns) == (5000000)); CHECK((ev[1].current_ua) == (24000)); /* 4-bit MAC op */
    CHECK((ev[2].t_ns) == (5002000)); CHECK((ev[2].current_ua) == (20000));
    CHECK((ev[3].t_ns) == (5003000)); CHECK((ev[3].trigger) == (0)); CHECK((ev[3].current_ua) == (2000));
    CHECK((ack) == (5003000 + REPLAY_GAP_NS));
    /* the next window starts no earlier than the gap after the last one, even if "now" is older */
    CHECK(replay_line(&r, "R 9000", 0, ev, &n, &ack));
    CHECK(replay_line(&r, "F 9500", 5000000, ev, &n, &ack));
    CHECK((n) == (2));
    CHECK((ev[0].t_ns) == (5003000 + REPLAY_GAP_NS));
    CHECK((ev[1].t_ns) == (5003000 + REPLAY_GAP_NS + 500));
    /* malformed or out-of-window lines are refused */
    CHECK(!replay_line(&r, "F 100", 0, ev, &n, &ack));   /* no window open */
    CHECK(!replay_line(&r, "X 1", 0, ev, &n, &ack));
    CHECK(!replay_line(&r, "R", 0, ev, &n, &ack));
    CHECK(!replay_line(&r, "R -5", 0, ev, &n, &ack));
    CHECK(!replay_line(&r, "R 5x", 0, ev, &n, &ack));
    CHECK(replay_line(&r, "R 100", 0, ev, &n, &ack));
    CHECK(!replay_line(&r, "O 50 8", 0, ev, &n, &ack));  /* before the rise */
    CHECK(!replay_line(&r, "O 150 9", 0, ev, &n, &ack)); /* bits > 8 */
    CHECK(!replay_line(&r, "F 99", 0, ev, &n, &ack));
    return test_end("trigger_replay");
}
