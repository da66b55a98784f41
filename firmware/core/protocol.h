/* The device side of PROTOCOL.md v1: frame receiver + command dispatcher + dedup cache. */
#ifndef FW_PROTOCOL_H
#define FW_PROTOCOL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "frame.h"
#include "model.h"
#include "protocol_codes.h"

#define PROTO_WINDOW    4    /* responses remembered for retries; also max_window */
#define PROTO_MAX_CHUNK 1024 /* MODEL_CHUNK / SET_INPUT data and READ_OUTPUT length */
#define PROTO_MAX_RUNS  100000u

typedef struct {
    uint32_t arena_capacity; /* <= FW_ARENA_BYTES */
} proto_config_t;

typedef struct {
    bool used;
    uint16_t seq;
    uint32_t req_crc; /* a retry repeats the same bytes, so the same CRC */
    uint16_t wire_len;
    uint8_t wire[FRAME_MAX_WIRE];
} proto_cache_entry_t;

typedef struct {
    proto_config_t cfg;
    frame_rx_t rx;
    proto_cache_entry_t cache[PROTO_WINDOW];
    uint8_t cache_next;
    bool uploading;
    uint32_t up_size, up_crc;
    bool has_model;
    model_t model;
    uint32_t model_crc, model_size;
    uint32_t executed; /* commands executed (not answered from cache): for tests and stats */
} proto_t;

/* stored_size > 0: a blob already sits in the model region (persisted earlier); it is used
 * only if it validates. */
void proto_init(proto_t *p, const proto_config_t *cfg, uint32_t stored_size);
/* Feeds received bytes; answers every complete frame through hal_uart_write. */
void proto_feed(proto_t *p, const uint8_t *data, size_t n);
/* One step of a port's main loop: read what arrives within timeout_ms and feed it. */
void proto_poll(proto_t *p, uint32_t timeout_ms);
#endif
