/* A minimal protocol client for tests that drive the real edgeautoml-fw-host over its pty:
 * send a request, wait for the matching response, retry on timeout or 0xFF NAK. */
#ifndef FW_HOST_CLIENT_H
#define FW_HOST_CLIENT_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "frame.h"

typedef struct {
    pid_t pid;
    int fd;
    frame_rx_t rx;
    uint16_t seq;
    uint8_t payload[FRAME_MAX_PAYLOAD];
    frame_t resp;
    int retries_used;
} host_client_t;

/* Starts the binary with extra args (NULL-terminated), reads "PTY <path>", opens it. */
bool hc_start(host_client_t *c, const char *binary, const char *const *args);
/* Sends SIGTERM and waits; returns the exit status (0 = clean). */
int hc_stop(host_client_t *c);
/* Request with retries; true when a response with our seq arrived (status in c->resp). */
bool hc_request(host_client_t *c, uint8_t kind, const uint8_t *payload, uint16_t len, int timeout_ms, int retries);
/* Uploads a blob in windowless chunks; returns the commit status or -1. */
int hc_upload(host_client_t *c, const uint8_t *blob, uint32_t size);
#endif
