#define _DEFAULT_SOURCE
#include "host_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "crc32.h"

bool hc_start(host_client_t *c, const char *binary, const char *const *args)
{
    memset(c, 0, sizeof *c);
    int pipefd[2];
    if (pipe(pipefd) != 0) return false;
    const char *argv[32] = {binary};
    int n = 1;
    for (; args && args[n - 1] && n < 31; n++) argv[n] = args[n - 1];
    argv[n] = 0;
    c->pid = fork();
    if (c->pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    close(pipefd[1]);
    char line[256] = {0};
    size_t len = 0;
    while (len < sizeof line - 1) {
        ssize_t r = read(pipefd[0], line + len, 1);
        if (r <= 0) break;
        if (line[len] == '\n') { line[len] = 0; break; }
        len++;
    }
    close(pipefd[0]);
    if (strncmp(line, "PTY ", 4) != 0) return false;
    c->fd = open(line + 4, O_RDWR | O_NOCTTY);
    if (c->fd < 0) return false;
    struct termios t;
    tcgetattr(c->fd, &t);
    cfmakeraw(&t);
    tcsetattr(c->fd, TCSANOW, &t);
    frame_rx_init(&c->rx);
    c->seq = 1;
    return true;
}

int hc_stop(host_client_t *c)
{
    close(c->fd);
    kill(c->pid, SIGTERM);
    int st = 0;
    waitpid(c->pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* 0: response for seq; 1: 0xFF NAK; -1: timeout */
static int await(host_client_t *c, uint16_t seq, int timeout_ms)
{
    long long end = now_ms() + timeout_ms;
    for (;;) {
        long long left = end - now_ms();
        if (left <= 0) return -1;
        struct pollfd p = {c->fd, POLLIN, 0};
        if (poll(&p, 1, (int)left) <= 0) continue;
        uint8_t buf[512];
        ssize_t n = read(c->fd, buf, sizeof buf);
        int result = -1;
        for (ssize_t i = 0; i < n; i++) {
            frame_t f;
            if (frame_rx_feed(&c->rx, buf[i], &f) != FRAME_RX_FRAME) continue;
            if (f.kind == FRAME_KIND_BAD) { if (result < 0) result = 1; continue; }
            if (f.seq != seq) continue; /* a stale duplicate: ignore */
            c->resp = f;
            memcpy(c->payload, f.payload, f.len);
            c->resp.payload = c->payload;
            result = 0;
        }
        if (result >= 0) return result;
    }
}

bool hc_request(host_client_t *c, uint8_t kind, const uint8_t *payload, uint16_t len, int timeout_ms, int retries)
{
    static uint8_t wire[FRAME_MAX_WIRE];
    uint16_t seq = c->seq++;
    size_t n = frame_encode(kind, seq, 0, payload, len, wire, sizeof wire);
    for (int attempt = 0; attempt <= retries; attempt++) {
        if (attempt) c->retries_used++;
        /* a leading 0x00 closes any garbage the line left in the device's receiver */
        uint8_t z = 0;
        if (write(c->fd, &z, 1) != 1 || write(c->fd, wire, n) != (ssize_t)n) return false;
        if (await(c, seq, timeout_ms) == 0) return true;
    }
    return false;
}

int hc_upload(host_client_t *c, const uint8_t *blob, uint32_t size)
{
    uint8_t b[4 + 512];
    uint32_t crc = crc32_compute(blob, size);
    for (int i = 0; i < 4; i++) { b[i] = (uint8_t)(size >> 8 * i); b[4 + i] = (uint8_t)(crc >> 8 * i); }
    if (!hc_request(c, 0x10, b, 8, 500, 10) || c->resp.status) return -1;
    for (uint32_t off = 0; off < size; off += 512) {
        uint32_t n = size - off < 512 ? size - off : 512;
        for (int i = 0; i < 4; i++) b[i] = (uint8_t)(off >> 8 * i);
        memcpy(b + 4, blob + off, n);
        if (!hc_request(c, 0x11, b, (uint16_t)(4 + n), 500, 10) || c->resp.status) return -1;
    }
    if (!hc_request(c, 0x12, 0, 0, 1000, 10)) return -1;
    return c->resp.status;
}
