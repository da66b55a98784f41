/* edgeautoml-qemu-trigger: connects to the QEMU port's trigger UART (a unix socket served by
 * qemu-system-arm -serial unix:PATH,server=on) and replays each reported inference window
 * onto the simulated wire, where edgeautoml-ppk2-sim measures it. See trigger_replay.h and
 * firmware/ports/qemu/README.md. Exits 0 when QEMU closes the socket or on SIGTERM. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include "sim_wire.h"
#include "trigger_replay.h"

static volatile sig_atomic_t g_stop;
static void on_signal(int s) { (void)s; g_stop = 1; }

static int connect_unix(const char *path, int timeout_ms)
{
    for (int waited = 0; waited <= timeout_ms && !g_stop; waited += 20) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd < 0) return -1;
        struct sockaddr_un a;
        memset(&a, 0, sizeof a);
        a.sun_family = AF_UNIX;
        if (strlen(path) >= sizeof a.sun_path) { close(fd); return -1; }
        strcpy(a.sun_path, path);
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
        close(fd);
        usleep(20000); /* QEMU creates the socket when it reaches this -serial */
    }
    return -1;
}

static bool parse_u32(const char *s, uint32_t *v)
{
    char *e;
    unsigned long x = strtoul(s, &e, 10);
    if (e == s || *e || s[0] == '-' || x > 0xFFFFFFFFul) return false;
    *v = (uint32_t)x;
    return true;
}

static void sleep_until(uint64_t t_ns)
{
    struct timespec ts = {(time_t)(t_ns / 1000000000ull), (long)(t_ns % 1000000000ull)};
    while (!g_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0) == EINTR) { }
}

int main(int argc, char **argv)
{
    const char *sock = 0, *wire_path = 0;
    replay_currents_t cur = {2100, 21000, 900}; /* the sim-stm32f405 profile's defaults */
    uint32_t timeout_ms = 30000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help")) {
            printf("usage: edgeautoml-qemu-trigger --socket PATH --wire PATH [--idle-ua N] [--active-ua N]\n"
                   "         [--ua-per-bit N] [--connect-timeout-ms N]\n");
            return 0;
        }
        if (i + 1 >= argc) { fprintf(stderr, "qemu-trigger: %s needs a value\n", a); return 2; }
        const char *v = argv[++i];
        bool ok = true;
        if (!strcmp(a, "--socket")) sock = v;
        else if (!strcmp(a, "--wire")) wire_path = v;
        else if (!strcmp(a, "--idle-ua")) ok = parse_u32(v, &cur.idle_ua);
        else if (!strcmp(a, "--active-ua")) ok = parse_u32(v, &cur.active_ua);
        else if (!strcmp(a, "--ua-per-bit")) ok = parse_u32(v, &cur.ua_per_bit);
        else if (!strcmp(a, "--connect-timeout-ms")) ok = parse_u32(v, &timeout_ms);
        else { fprintf(stderr, "qemu-trigger: unknown option %s\n", a); return 2; }
        if (!ok) { fprintf(stderr, "qemu-trigger: bad value for %s: %s\n", a, v); return 2; }
    }
    if (!sock || !wire_path) { fprintf(stderr, "qemu-trigger: --socket and --wire are required\n"); return 2; }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, 0);
    sigaction(SIGINT, &sa, 0);
    signal(SIGPIPE, SIG_IGN);

    static sim_wire_t wire;
    if (!sim_wire_open(&wire, wire_path)) { fprintf(stderr, "qemu-trigger: cannot open wire %s\n", wire_path); return 1; }
    sim_wire_append(&wire, sim_wire_now_ns(), 0, cur.idle_ua);
    int fd = connect_unix(sock, (int)timeout_ms);
    if (fd < 0) { fprintf(stderr, "qemu-trigger: cannot connect to %s\n", sock); sim_wire_close(&wire); return 1; }
    printf("CONNECTED %s\n", sock);
    fflush(stdout);

    static replay_t r;
    replay_init(&r, &cur);
    static replay_event_t ev[REPLAY_MAX_OPS + 2];
    char line[80];
    size_t n = 0;
    uint8_t buf[512];
    while (!g_stop) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got == 0) break; /* QEMU exited */
        if (got < 0) { if (errno == EINTR) continue; break; }
        for (ssize_t k = 0; k < got; k++) {
            char ch = (char)buf[k];
            if (ch != '\n') { if (n < sizeof line - 1) line[n++] = ch; continue; }
            line[n] = 0;
            n = 0;
            uint32_t ne;
            uint64_t ack_at;
            if (!replay_line(&r, line, sim_wire_now_ns(), ev, &ne, &ack_at)) {
                fprintf(stderr, "qemu-trigger: ignored line '%s'\n", line);
                continue;
            }
            if (ne == 0) continue;
            for (uint32_t e = 0; e < ne; e++) sim_wire_append(&wire, ev[e].t_ns, ev[e].trigger, ev[e].current_ua);
            sleep_until(ack_at); /* real time catches up with the window before the MCU goes on */
            if (write(fd, "A", 1) != 1) g_stop = 1;
        }
    }
    close(fd);
    sim_wire_close(&wire);
    return 0;
}
