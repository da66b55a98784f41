/* State of the host port (the simulated MCU) shared by its main() and its HAL. */
#ifndef HOST_PORT_H
#define HOST_PORT_H
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "cost_model.h"
#include "fault.h"
#include "sim_wire.h"

/* Largest model region the port can offer; --model-bytes chooses the capacity up to it. */
#define HOST_MODEL_MAX (16u * 1024u * 1024u)
/* Idle gap after each triggered inference so a 100 ksps monitor sees separate windows. */
#define HOST_TRIGGER_GAP_NS 20000u

typedef struct {
    int fd; /* pty master */
    const char *board_id;
    uint32_t clock_hz;
    cost_model_t cost;
    bool has_wire;
    sim_wire_t wire;
    fault_t fault;
    uint32_t model_capacity;
    uint64_t byte_ns; /* --baud: line time of one 8N1 byte (10 bits) in ns; 0 = unpaced */
    const char *model_store; /* file persisting the committed blob, or NULL */
    volatile sig_atomic_t stop;
} host_port_t;

extern host_port_t g_host;
/* The model region (static, HOST_MODEL_MAX bytes). */
uint8_t *host_model_region(void);
/* Loads --model-store into the region; returns the stored size or 0. */
uint32_t host_model_restore(void);
/* Records the idle current on the wire (at start-up). */
void host_wire_idle(void);
#endif
