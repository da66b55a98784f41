/* edgeautoml-fw-host: the firmware built for the host, serving PROTOCOL.md on a pty. */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../core/protocol.h"
#include "host_port.h"
#include "../common/embedded_model.h"
#include "sim_pty.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: edgeautoml-fw-host [--board-id ID] [--clock-hz N] [--cost SPEC] [--wire PATH]\n"
            "         [--model-store PATH] [--model-bytes N] [--arena-bytes N]\n"
            "         [--fault-rate P] [--fault-seed S] [--baud N]\n"
            "Prints 'PTY <path>' and serves the EdgeAutoMl protocol on that pseudo-terminal.\n"
            "See firmware/ports/host/README.md.\n");
}

static void on_signal(int sig) { (void)sig; g_host.stop = 1; }

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long x = strtoull(s, &end, 0);
    if (end == s || *end || s[0] == '-') return false;
    *v = x;
    return true;
}

int main(int argc, char **argv)
{
    const char *wire_path = 0;
    uint64_t arena = 65536, model_bytes = 262144, clock_hz = 168000000, seed = 1, baud = 0;
    double fault_rate = 0;
    g_host.board_id = "sim-stm32f405";
    cost_model_default(&g_host.cost);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { usage(stdout); return 0; }
        if (i + 1 >= argc) { fprintf(stderr, "fw-host: %s needs a value\n", a); return 2; }
        const char *v = argv[++i];
        bool ok = true;
        if (!strcmp(a, "--board-id")) { g_host.board_id = v; ok = strlen(v) > 0 && strlen(v) <= 64; }
        else if (!strcmp(a, "--clock-hz")) ok = parse_u64(v, &clock_hz) && clock_hz > 0 && clock_hz <= 0xFFFFFFFFu;
        else if (!strcmp(a, "--cost")) {
            const char *bad = 0;
            ok = cost_model_parse(&g_host.cost, v, &bad);
            if (!ok) fprintf(stderr, "fw-host: --cost: bad entry at '%s'\n", bad);
        }
        else if (!strcmp(a, "--wire")) wire_path = v;
        else if (!strcmp(a, "--model-store")) g_host.model_store = v;
        else if (!strcmp(a, "--model-bytes")) ok = parse_u64(v, &model_bytes) && model_bytes > 0 && model_bytes <= HOST_MODEL_MAX;
        else if (!strcmp(a, "--arena-bytes")) ok = parse_u64(v, &arena) && arena <= FW_ARENA_BYTES;
        else if (!strcmp(a, "--fault-rate")) { char *e; fault_rate = strtod(v, &e); ok = *e == 0 && fault_rate >= 0 && fault_rate <= 1; }
        else if (!strcmp(a, "--fault-seed")) ok = parse_u64(v, &seed);
        else if (!strcmp(a, "--baud")) ok = parse_u64(v, &baud) && baud >= 300 && baud <= 100000000u;
        else { fprintf(stderr, "fw-host: unknown option %s\n", a); usage(stderr); return 2; }
        if (!ok) { fprintf(stderr, "fw-host: bad value for %s: %s\n", a, v); return 2; }
    }
    g_host.clock_hz = (uint32_t)clock_hz;
    g_host.model_capacity = (uint32_t)model_bytes;
    g_host.byte_ns = baud ? 10u * 1000000000ull / baud : 0; /* 8N1: 10 bits a byte */
    fault_init(&g_host.fault, fault_rate, seed);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll returns EINTR and the loop ends */
    sigaction(SIGTERM, &sa, 0);
    sigaction(SIGINT, &sa, 0);
    signal(SIGPIPE, SIG_IGN);

    if (wire_path) {
        if (!sim_wire_open(&g_host.wire, wire_path)) { fprintf(stderr, "fw-host: cannot open wire %s\n", wire_path); return 1; }
        g_host.has_wire = true;
        host_wire_idle();
    }
    sim_pty_t pty;
    if (!sim_pty_open(&pty, false)) { perror("fw-host: pty"); return 1; }
    g_host.fd = pty.master;

    static proto_t proto;
    proto_config_t cfg = {(uint32_t)arena};
    uint32_t stored = host_model_restore();
#ifdef EDGEAUTOML_EMBEDDED_MODEL
    /* Built with an exported model: boot with it (it wins over --model-store; a later
     * MODEL_BEGIN replaces it as usual). */
    if (fw_embedded_model_bytes == 0 || fw_embedded_model_bytes > g_host.model_capacity) {
        fprintf(stderr, "fw-host: the linked-in model (%lu bytes) does not fit --model-bytes %lu\n",
                (unsigned long)fw_embedded_model_bytes, (unsigned long)g_host.model_capacity);
        return 1;
    }
    memcpy(host_model_region(), fw_embedded_model, fw_embedded_model_bytes);
    stored = fw_embedded_model_bytes;
#endif
    proto_init(&proto, &cfg, stored);
    sim_pty_announce(&pty);
    while (!g_host.stop) proto_poll(&proto, 200);
    if (g_host.has_wire) sim_wire_close(&g_host.wire);
    sim_pty_close(&pty);
    return 0;
}
