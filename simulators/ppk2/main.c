/* edgeautoml-ppk2-sim: a Nordic Power Profiler Kit II on a pseudo-terminal, measuring the
 * simulated MCU through the simulated wire. See README.md. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ppk2_cal.h"
#include "ppk2_commands.h"
#include "ppk2_sampler.h"
#include "sim_pty.h"
#include "sim_wire.h"

#define LAG_NS   5000000ull /* samples trail real time so wire events are already written */
#define OUT_CAP  (256u * 1024u)

static volatile sig_atomic_t g_stop;
static void on_signal(int s) { (void)s; g_stop = 1; }

typedef struct {
    int fd;
    uint8_t out[OUT_CAP];
    size_t out_len;
    ppk2_cal_t cal;
    ppk2_sampler_t sampler;
    unsigned vdd_mv, mode, running, counter;
    int streaming;
    uint64_t next_t;
    double noise_ua, drop_rate;
    uint64_t rng;
    uint64_t dropped; /* samples lost because the client did not keep up */
} sim_t;

static double uniform(sim_t *s)
{
    s->rng ^= s->rng << 13; s->rng ^= s->rng >> 7; s->rng ^= s->rng << 17; /* xorshift64 */
    return ((double)(s->rng >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static double gaussian(sim_t *s)
{
    return sqrt(-2.0 * log(uniform(s))) * cos(6.283185307179586 * uniform(s));
}

static void queue_bytes(sim_t *s, const void *p, size_t n)
{
    if (s->out_len + n > OUT_CAP) { s->dropped++; return; } /* like USB data loss */
    memcpy(s->out + s->out_len, p, n);
    s->out_len += n;
}

static void flush_out(sim_t *s)
{
    while (s->out_len > 0) {
        ssize_t w = write(s->fd, s->out, s->out_len);
        if (w <= 0) return; /* EAGAIN: the client is slow; keep the rest */
        memmove(s->out, s->out + w, s->out_len - (size_t)w);
        s->out_len -= (size_t)w;
    }
}

static void reset_state(sim_t *s)
{
    s->vdd_mv = 3000;
    s->mode = 2;     /* source meter, as the device boots */
    s->running = 0;  /* DUT power off until DEVICE_RUNNING_SET 1 */
    s->streaming = 0;
}

static void handle_command(sim_t *s, const uint8_t *c, size_t n)
{
    (void)n;
    switch (c[0]) {
    case PPK2_GET_META_DATA: {
        char meta[2048];
        size_t m = ppk2_cal_metadata(&s->cal, s->vdd_mv, meta, sizeof meta);
        queue_bytes(s, meta, m);
        break;
    }
    case PPK2_SET_POWER_MODE: if (c[1] == 1 || c[1] == 2) s->mode = c[1]; break;
    case PPK2_REGULATOR_SET: {
        unsigned mv = (unsigned)c[1] << 8 | c[2]; /* big-endian millivolts */
        if (mv >= 800 && mv <= 5000) s->vdd_mv = mv;
        break;
    }
    case PPK2_DEVICE_RUNNING_SET: s->running = c[1] ? 1 : 0; break;
    case PPK2_AVERAGE_START:
        if (!s->streaming) {
            s->streaming = 1;
            s->next_t = sim_wire_now_ns() - LAG_NS;
        }
        break;
    case PPK2_AVERAGE_STOP: s->streaming = 0; break;
    case PPK2_RESET: reset_state(s); s->out_len = 0; break;
    default: break; /* other commands are accepted and ignored */
    }
}

static void produce_samples(sim_t *s)
{
    uint64_t horizon = sim_wire_now_ns() - LAG_NS;
    while (s->next_t + PPK2_SAMPLE_NS <= horizon) {
        double ua;
        bool trig;
        ppk2_sampler_take(&s->sampler, s->next_t, &ua, &trig);
        s->next_t += PPK2_SAMPLE_NS;
        /* ampere-meter mode always sees the load; in source mode only a powered DUT draws
         * current and drives its trigger pin */
        bool powered = s->mode == 1 || s->running;
        if (!powered) { ua = 0; trig = false; }
        if (s->noise_ua > 0) ua += s->noise_ua * gaussian(s);
        unsigned range, code;
        ppk2_cal_encode(&s->cal, ua, s->vdd_mv, &range, &code);
        uint32_t word = ppk2_sample_word(code, range, s->counter, trig ? 1u : 0u);
        s->counter = (s->counter + 1) & 0x3F; /* counts every sample, sent or not */
        if (s->drop_rate > 0 && uniform(s) < s->drop_rate) continue;
        uint8_t b[4] = {(uint8_t)word, (uint8_t)(word >> 8), (uint8_t)(word >> 16), (uint8_t)(word >> 24)};
        queue_bytes(s, b, 4);
    }
}

int main(int argc, char **argv)
{
    static sim_t s;
    const char *wire_path = 0;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            printf("usage: edgeautoml-ppk2-sim [--wire PATH] [--noise-ua X] [--seed S] [--drop-rate P]\n"
                   "Prints 'PTY <path>' and speaks the PPK2 serial protocol there. See simulators/ppk2/README.md.\n");
            return 0;
        }
        if (i + 1 >= argc) { fprintf(stderr, "ppk2-sim: %s needs a value\n", a); return 2; }
        const char *v = argv[++i];
        char *end = 0;
        if (!strcmp(a, "--wire")) wire_path = v;
        else if (!strcmp(a, "--noise-ua")) s.noise_ua = strtod(v, &end);
        else if (!strcmp(a, "--seed")) seed = strtoull(v, &end, 0);
        else if (!strcmp(a, "--drop-rate")) s.drop_rate = strtod(v, &end);
        else { fprintf(stderr, "ppk2-sim: unknown option %s\n", a); return 2; }
        if (end && (*end || end == v || s.noise_ua < 0 || s.drop_rate < 0 || s.drop_rate > 1)) {
            fprintf(stderr, "ppk2-sim: bad value for %s: %s\n", a, v);
            return 2;
        }
    }
    s.rng = seed ? seed : 1;
    ppk2_cal_default(&s.cal);
    reset_state(&s);
    static sim_wire_t wire;
    if (wire_path && !sim_wire_open(&wire, wire_path)) { fprintf(stderr, "ppk2-sim: cannot open wire %s\n", wire_path); return 1; }
    ppk2_sampler_init(&s.sampler, wire_path ? &wire : 0);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, 0);
    sigaction(SIGINT, &sa, 0);
    signal(SIGPIPE, SIG_IGN);

    sim_pty_t pty;
    if (!sim_pty_open(&pty, true)) { perror("ppk2-sim: pty"); return 1; }
    s.fd = pty.master;
    sim_pty_announce(&pty);

    ppk2_cmd_parser_t parser = {{0}, 0};
    while (!g_stop) {
        struct pollfd p = {s.fd, POLLIN, 0};
        poll(&p, 1, 1); /* ~1 ms blocks of samples */
        uint8_t buf[256];
        ssize_t n;
        while ((n = read(s.fd, buf, sizeof buf)) > 0)
            for (ssize_t i = 0; i < n; i++) {
                uint8_t cmd[8];
                size_t len;
                if (ppk2_cmd_feed(&parser, buf[i], cmd, &len)) handle_command(&s, cmd, len);
            }
        if (s.streaming) produce_samples(&s);
        flush_out(&s);
    }
    if (wire_path) sim_wire_close(&wire);
    sim_pty_close(&pty);
    return 0;
}
