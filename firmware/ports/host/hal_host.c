/* HAL of the host port: the pty is the UART, the virtual clock is the cycle counter, and the
 * trigger pin and supply current go onto the simulated wire (simulators/wire). */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../../hal/hal.h"
#include "host_port.h"

host_port_t g_host;

static uint8_t g_region[HOST_MODEL_MAX];
static uint64_t g_vcycles;   /* virtual cycle counter */
static bool g_trig;          /* inside a triggered inference */
static uint64_t g_t0_ns;     /* real time of the rising edge */
static uint64_t g_v0;        /* virtual cycles at the rising edge */

uint8_t *host_model_region(void) { return g_region; }

static void sleep_until_ns(uint64_t t_ns)
{
    struct timespec ts = {(time_t)(t_ns / 1000000000ull), (long)(t_ns % 1000000000ull)};
    while (!g_host.stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0) == EINTR) {
    }
}

/* Line pacing (--baud): a pty moves bytes as fast as the kernel copies them; a UART moves baud/10
 * per second each way (8N1). With pacing on, received bytes are accepted no faster than they
 * would arrive, and sent bytes wait in a queue that drains at that rate while reception goes on
 * (full duplex, like a UART with TX interrupts). */
#define TXQ_SIZE 16384u
static uint8_t g_txq[TXQ_SIZE];
static size_t g_txq_head, g_txq_len;
static uint64_t g_tx_next_ns; /* when the queue's first byte has been fully sent */
static uint64_t g_rx_line_ns; /* when the last accepted byte finished arriving */
static bool g_rx_idle = true; /* the pty was drained: the next byte starts arriving when seen */

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void write_all(const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        ssize_t w = write(g_host.fd, p + off, n - off);
        if (w > 0) off += (size_t)w;
        else if (w < 0 && errno != EINTR && errno != EAGAIN) return;
    }
}

/* Hands the bytes whose transmission has ended by `now` to the pty. */
static void tx_pump(uint64_t now)
{
    while (g_txq_len > 0 && g_tx_next_ns <= now) {
        uint64_t due = (now - g_tx_next_ns) / g_host.byte_ns + 1;
        size_t k = due < g_txq_len ? (size_t)due : g_txq_len;
        if (k > TXQ_SIZE - g_txq_head) k = TXQ_SIZE - g_txq_head; /* up to the ring's end */
        write_all(g_txq + g_txq_head, k);
        g_txq_head = (g_txq_head + k) % TXQ_SIZE;
        g_txq_len -= k;
        g_tx_next_ns += (uint64_t)k * g_host.byte_ns;
    }
}

static void tx_enqueue(const uint8_t *p, size_t n)
{
    while (n > 0) {
        uint64_t now = now_ns();
        tx_pump(now);
        if (g_txq_len == TXQ_SIZE) { /* full: wait for the line (only on huge bursts) */
            sleep_until_ns(g_tx_next_ns);
            continue;
        }
        /* An idle line starts sending now; a busy one after what is queued. */
        if (g_txq_len == 0) g_tx_next_ns = (g_tx_next_ns > now ? g_tx_next_ns : now) + g_host.byte_ns;
        size_t tail = (g_txq_head + g_txq_len) % TXQ_SIZE;
        size_t k = TXQ_SIZE - g_txq_len;
        if (k > TXQ_SIZE - tail) k = TXQ_SIZE - tail;
        if (k > n) k = n;
        memcpy(g_txq + tail, p, k);
        g_txq_len += k;
        p += k;
        n -= k;
    }
}

static size_t uart_read_paced(uint8_t *buf, size_t want, uint32_t timeout_ms)
{
    uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000ull;
    uint8_t raw[256];
    while (!g_host.stop) {
        uint64_t now = now_ns();
        tx_pump(now);
        if (now >= deadline) return 0;
        uint64_t wake = deadline;
        if (g_txq_len > 0 && g_tx_next_ns < wake) wake = g_tx_next_ns;
        /* Bytes may be waiting that have not "arrived" yet: wait for the line to deliver the batch
         * we would read (not byte by byte: one wake-up per batch keeps the CPU cost low). */
        size_t batch = 0;
        if (!g_rx_idle) {
            int avail = 0;
            if (ioctl(g_host.fd, FIONREAD, &avail) == 0 && avail > 0) batch = (size_t)avail;
            if (batch > want) batch = want;
            if (batch > sizeof raw) batch = sizeof raw;
            if (batch == 0) g_rx_idle = true;
        }
        if (batch > 0) {
            uint64_t due = g_rx_line_ns + (uint64_t)batch * g_host.byte_ns;
            if (due > now) {
                sleep_until_ns(due < wake ? due : wake);
                continue;
            }
        } else {
            struct pollfd pfd = {g_host.fd, POLLIN, 0};
            int ms = (int)((wake - now + 999999u) / 1000000u);
            if (poll(&pfd, 1, ms) <= 0 || !(pfd.revents & POLLIN)) continue;
            now = now_ns();
            /* An idle line starts delivering when the first byte is seen. */
            if (g_rx_idle) { g_rx_line_ns = g_rx_line_ns > now ? g_rx_line_ns : now; g_rx_idle = false; }
            continue; /* the batch branch above waits for it */
        }
        uint64_t arrived = (now - g_rx_line_ns) / g_host.byte_ns;
        size_t k = arrived < batch ? (size_t)arrived : batch;
        ssize_t n = read(g_host.fd, raw, k);
        if (n <= 0) return 0;
        g_rx_line_ns += (uint64_t)n * g_host.byte_ns;
        return fault_apply(&g_host.fault, raw, (size_t)n, buf);
    }
    return 0;
}

size_t hal_uart_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    size_t want = cap / 2; /* a duplicating fault may double what was read */
    if (g_host.byte_ns) return uart_read_paced(buf, want, timeout_ms);
    struct pollfd pfd = {g_host.fd, POLLIN, 0};
    if (poll(&pfd, 1, (int)timeout_ms) <= 0) return 0; /* timeout or EINTR (SIGTERM) */
    uint8_t raw[256];
    if (want > sizeof raw) want = sizeof raw;
    ssize_t n = read(g_host.fd, raw, want);
    if (n <= 0) return 0;
    return fault_apply(&g_host.fault, raw, (size_t)n, buf);
}

void hal_uart_write(const uint8_t *data, size_t n)
{
    static uint8_t out[2 * 2048];
    while (n > 0) {
        size_t piece = n > 2048 ? 2048 : n;
        size_t m = fault_apply(&g_host.fault, data, piece, out);
        data += piece;
        n -= piece;
        if (g_host.byte_ns) tx_enqueue(out, m);
        else write_all(out, m);
    }
}

uint32_t hal_cycles(void) { return (uint32_t)g_vcycles; }

/* Real time of virtual cycle offset dv after the rising edge. */
static uint64_t t_at(uint64_t dv)
{
    uint64_t hz = g_host.clock_hz;
    return g_t0_ns + (dv / hz) * 1000000000ull + (dv % hz) * 1000000000ull / hz;
}

static void sleep_until(uint64_t t_ns)
{
    struct timespec ts = {(time_t)(t_ns / 1000000000ull), (long)(t_ns % 1000000000ull)};
    while (!g_host.stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0) == EINTR) {
    }
}

void hal_trigger_set(bool high)
{
    if (!g_host.has_wire) return;
    if (high) {
        g_trig = true;
        g_t0_ns = sim_wire_now_ns();
        g_v0 = g_vcycles;
        sim_wire_append(&g_host.wire, g_t0_ns, 1, g_host.cost.active_ua);
    } else if (g_trig) {
        g_trig = false;
        uint64_t t_end = t_at(g_vcycles - g_v0);
        sim_wire_append(&g_host.wire, t_end, 0, g_host.cost.idle_ua);
        /* stretch real time to the virtual length so the monitor sees a window that long */
        sleep_until(t_end + HOST_TRIGGER_GAP_NS);
    }
}

void hal_account_op(uint8_t op_type, uint8_t weight_bits, uint64_t macs, uint64_t elems)
{
    (void)op_type;
    uint64_t cycles = cost_model_cycles(&g_host.cost, weight_bits, macs, elems);
    if (g_trig)
        sim_wire_append(&g_host.wire, t_at(g_vcycles - g_v0), 1, cost_model_current(&g_host.cost, weight_bits));
    g_vcycles += cycles;
}

const uint8_t *hal_model_region(uint32_t *capacity)
{
    *capacity = g_host.model_capacity;
    return g_region;
}

bool hal_model_begin(uint32_t size)
{
    if (size > g_host.model_capacity) return false;
    memset(g_region, 0xFF, size); /* like erased flash */
    return true;
}

bool hal_model_write(uint32_t offset, const uint8_t *data, uint32_t n)
{
    if (offset > g_host.model_capacity || g_host.model_capacity - offset < n) return false;
    memcpy(g_region + offset, data, n);
    return true;
}

void hal_model_commit(uint32_t size)
{
    if (!g_host.model_store) return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", g_host.model_store);
    FILE *f = fopen(tmp, "wb");
    if (!f) return;
    bool ok = fwrite(g_region, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    if (ok) rename(tmp, g_host.model_store); /* atomic: a crash never leaves half a blob */
    else remove(tmp);
}

uint32_t host_model_restore(void)
{
    if (!g_host.model_store) return 0;
    FILE *f = fopen(g_host.model_store, "rb");
    if (!f) return 0;
    size_t n = fread(g_region, 1, g_host.model_capacity, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    return more ? 0 : (uint32_t)n;
}

void host_wire_idle(void)
{
    if (g_host.has_wire) sim_wire_append(&g_host.wire, sim_wire_now_ns(), 0, g_host.cost.idle_ua);
}

const char *hal_board_id(void) { return g_host.board_id; }
uint32_t hal_clock_hz(void) { return g_host.clock_hz; }
