/* The simulated wire between the simulated MCU (firmware host port) and the simulated power
 * monitor: the trigger pin and the supply current, as a timeline of events.
 *
 * A file mmap'd by both processes:
 *   header (64 bytes): u32 magic "SWIR", u32 version 1, u32 capacity (events), u32 reserved,
 *                      u64 head (atomic: events ever written), padding
 *   ring: capacity x event {u64 t_ns (CLOCK_MONOTONIC), u32 trigger (0/1), u32 current_ua}
 * One writer (the MCU) stores event head % capacity, then publishes head+1 (release). The
 * reader (the monitor) keeps its own tail; events are in non-decreasing t_ns order, each
 * holding until the next. The writer stamps events slightly in the future (the virtual
 * timeline of an inference), the reader samples a few ms behind real time, so it always sees
 * an event before its moment. */
#ifndef SIM_WIRE_H
#define SIM_WIRE_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define SIM_WIRE_MAGIC    0x52495753u /* "SWIR" */
#define SIM_WIRE_VERSION  1u
#define SIM_WIRE_CAPACITY 65536u

typedef struct {
    uint64_t t_ns;
    uint32_t trigger;
    uint32_t current_ua;
} sim_wire_event_t;

typedef struct {
    uint32_t magic, version, capacity, reserved;
    _Atomic uint64_t head;
    uint8_t pad[40];
} sim_wire_header_t;

typedef struct {
    sim_wire_header_t *hdr;
    sim_wire_event_t *ring;
    uint64_t tail; /* reader only */
    int fd;
} sim_wire_t;

/* Opens (creating and initialising if needed) the wire file. Either side may come first. */
bool sim_wire_open(sim_wire_t *w, const char *path);
void sim_wire_close(sim_wire_t *w);
void sim_wire_append(sim_wire_t *w, uint64_t t_ns, uint32_t trigger, uint32_t current_ua);
/* Reader: positions the tail at the newest event (history is not replayed); returns it in
 * *last if one exists. */
bool sim_wire_seek_latest(sim_wire_t *w, sim_wire_event_t *last);
/* Reader: next unread event, false if none. Skips events overwritten before they were read. */
bool sim_wire_next(sim_wire_t *w, sim_wire_event_t *ev);
uint64_t sim_wire_now_ns(void);
#endif
