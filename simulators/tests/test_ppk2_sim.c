/* Runs edgeautoml-ppk2-sim on its pty, acts as the MCU on the wire, and decodes the stream
 * the way a host would: metadata -> constants, 4-byte samples -> current and D0. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "check.h"
#include "ppk2_cal.h"
#include "sim_wire.h"

static pid_t g_pid;
static int g_fd;

static int start(const char *bin, const char *wire, const char *extra1, const char *extra2)
{
    int pfd[2];
    if (pipe(pfd)) return -1;
    g_pid = fork();
    if (g_pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        execl(bin, bin, "--wire", wire, extra1, extra2, (char *)0);
        _exit(127);
    }
    close(pfd[1]);
    char line[256] = {0};
    size_t n = 0;
    while (n < sizeof line - 1 && read(pfd[0], line + n, 1) == 1 && line[n] != '\n') n++;
    line[n] = 0;
    close(pfd[0]);
    if (strncmp(line, "PTY ", 4)) return -1;
    int fd = open(line + 4, O_RDWR | O_NOCTTY);
    struct termios t;
    tcgetattr(fd, &t);
    cfmakeraw(&t);
    tcsetattr(fd, TCSANOW, &t);
    return fd;
}

static int stop(void)
{
    close(g_fd);
    kill(g_pid, SIGTERM);
    int st;
    waitpid(g_pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t read_for(uint8_t *buf, size_t cap, int ms)
{
    size_t n = 0;
    uint64_t end = sim_wire_now_ns() + (uint64_t)ms * 1000000ull;
    while (n < cap && sim_wire_now_ns() < end) {
        struct pollfd p = {g_fd, POLLIN, 0};
        if (poll(&p, 1, 5) > 0) {
            ssize_t r = read(g_fd, buf + n, cap - n);
            if (r > 0) n += (size_t)r;
        }
    }
    return n;
}

static void send(const uint8_t *b, size_t n) { CHECK(write(g_fd, b, n) == (ssize_t)n); }

static double meta_value(const char *meta, const char *key)
{
    char pat[16];
    snprintf(pat, sizeof pat, "%s: ", key);
    for (const char *p = meta; (p = strstr(p, pat)); p++)
        if (p == meta || p[-1] == '\n') return strtod(p + strlen(pat), 0);
    return NAN;
}

/* Decoder of a host: constants from the metadata text only. */
static void parse_cal(const char *meta, ppk2_cal_t *c)
{
    const char *keys[] = {"R", "GS", "GI", "O", "S", "I", "UG"};
    double *dst[] = {c->r, c->gs, c->gi, c->o, c->s, c->i, c->ug};
    for (int k = 0; k < 7; k++)
        for (int i = 0; i < PPK2_RANGES; i++) {
            char key[8];
            snprintf(key, sizeof key, "%s%d", keys[k], i);
            dst[k][i] = meta_value(meta, key);
        }
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    char wire_path[] = "/tmp/ppk2-sim-wire-XXXXXX";
    int tfd = mkstemp(wire_path);
    close(tfd);
    unlink(wire_path);
    sim_wire_t w;
    CHECK(sim_wire_open(&w, wire_path));
    sim_wire_append(&w, sim_wire_now_ns(), 0, 2100);
    g_fd = start(argv[1], wire_path, "--seed", "3");
    CHECK(g_fd >= 0);
    if (g_fd < 0) return test_end("ppk2_sim");

    /* nothing is sent before a command */
    static uint8_t buf[1 << 20];
    CHECK(read_for(buf, sizeof buf, 50) == 0);
    uint8_t meta_cmd[] = {0x19};
    send(meta_cmd, 1);
    size_t n = read_for(buf, 4096, 200);
    buf[n] = 0;
    CHECK(n > 200 && strstr((char *)buf, "END\n") != 0);
    ppk2_cal_t cal;
    parse_cal((char *)buf, &cal);
    CHECK(cal.r[0] > 1000 && cal.gi[1] > 0.9);
    unsigned vdd = (unsigned)meta_value((char *)buf, "VDD");
    CHECK(vdd == 3000);

    /* set 3.3 V (big-endian mV), ampere-meter mode, start; commands split across writes */
    uint8_t cmds[] = {0x0D, 0x0C, 0xE4, 0x11, 0x01, 0x0C, 0x01};
    send(cmds, 2);
    usleep(5000);
    send(cmds + 2, 5);
    uint8_t start_cmd[] = {0x06};
    send(start_cmd, 1);
    vdd = 3300;
    /* the MCU: a 2 ms inference at 10 mA starting 30 ms from now */
    uint64_t t0 = sim_wire_now_ns() + 30000000ull;
    sim_wire_append(&w, t0, 1, 10000);
    sim_wire_append(&w, t0 + 2000000ull, 0, 2100);
    n = read_for(buf, sizeof buf, 120);
    uint8_t stop_cmd[] = {0x07};
    send(stop_cmd, 1);
    size_t samples = n / 4;
    printf("%zu samples in 120 ms\n", samples);
    CHECK(samples > 7000 && samples < 13000); /* ~100 ksps in real time */
    int gaps = 0, high = 0, first_high = -1;
    double sum_hi = 0, sum_lo = 0;
    int n_lo = 0;
    for (size_t i = 0; i < samples; i++) {
        uint32_t v = (uint32_t)buf[4 * i] | buf[4 * i + 1] << 8 | buf[4 * i + 2] << 16 | (uint32_t)buf[4 * i + 3] << 24;
        if (i > 0) {
            uint32_t p = (uint32_t)buf[4 * i - 4] | buf[4 * i - 3] << 8 | buf[4 * i - 2] << 16 | (uint32_t)buf[4 * i - 1] << 24;
            if ((((p >> 18) + 1) & 0x3F) != ((v >> 18) & 0x3F)) gaps++;
        }
        double ua = ppk2_cal_decode(&cal, (v >> 14) & 7, v & 0x3FFF, vdd);
        if (v >> 24 & 1) {
            if (first_high < 0) first_high = (int)i;
            high++;
            /* edge samples average in part of the idle current: use the interior */
            if ((int)i > first_high && (int)i < first_high + 199) sum_hi += ua;
        } else if (first_high < 0 || (int)i > first_high + 210) {
            sum_lo += ua;
            n_lo++;
        }
    }
    CHECK(gaps == 0);
    printf("trigger high for %d samples, interior mean %.2f uA; idle mean %.2f uA\n", high, sum_hi / 198, n_lo ? sum_lo / n_lo : 0);
    CHECK(high == 200);
    CHECK(high && fabs(sum_hi / 198 - 10000) < 3);
    CHECK(n_lo && fabs(sum_lo / n_lo - 2100) < 1);
    /* the stream stops */
    read_for(buf, sizeof buf, 30);
    CHECK(read_for(buf, sizeof buf, 50) == 0);
    CHECK(stop() == 0);

    /* source mode with the DUT off reads zero; drops show up as counter gaps */
    g_fd = start(argv[1], wire_path, "--drop-rate", "0.01");
    uint8_t src[] = {0x11, 0x02, 0x06};
    send(src, 3);
    n = read_for(buf, sizeof buf, 60);
    gaps = 0;
    int nonzero = 0;
    for (size_t i = 1; i < n / 4; i++) {
        uint32_t p = (uint32_t)buf[4 * i - 4] | buf[4 * i - 3] << 8 | buf[4 * i - 2] << 16 | (uint32_t)buf[4 * i - 1] << 24;
        uint32_t v = (uint32_t)buf[4 * i] | buf[4 * i + 1] << 8 | buf[4 * i + 2] << 16 | (uint32_t)buf[4 * i + 3] << 24;
        if ((((p >> 18) + 1) & 0x3F) != ((v >> 18) & 0x3F)) gaps++;
        if (fabs(ppk2_cal_decode(&cal, (v >> 14) & 7, v & 0x3FFF, 3000)) > 0.05) nonzero++;
    }
    CHECK(gaps > 5);
    CHECK(nonzero == 0);
    CHECK(stop() == 0);
    sim_wire_close(&w);
    unlink(wire_path);
    return test_end("ppk2_sim");
}
