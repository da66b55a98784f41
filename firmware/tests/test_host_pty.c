/* Starts the real edgeautoml-fw-host and talks to it over its pseudo-terminal: IDENTIFY,
 * upload + RUN with the trigger (checking the virtual cycles and the wire timeline), a noisy
 * line that forces retries, model persistence, and a clean exit on SIGTERM. */
#define _DEFAULT_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include "blob_builder.h"
#include "check.h"
#include "host_client.h"
#include "sim_wire.h"

static uint32_t u32(const uint8_t *p) { return (uint32_t)p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* Demo model under the default cost model (op=300, elem=2, mac4=3.9, mac8=2.2):
 * conv 4-bit 72 outputs x 9 = 648 MACs: 300 + 2527.2 -> 2827; maxpool 72 elems: 444;
 * reshape 18: 336; fc 8-bit 54 MACs: 300 + 118.8 -> 419; clamp 3: 306. Sum 4332. */
#define DEMO_CYCLES 4332u

static void test_identify_run_wire(const char *bin, const char *dir)
{
    char wire_path[512];
    snprintf(wire_path, sizeof wire_path, "%s/wire", dir);
    const char *args[] = {"--wire", wire_path, 0};
    host_client_t c;
    CHECK(hc_start(&c, bin, args));
    CHECK(hc_request(&c, 0x01, 0, 0, 1000, 0));
    CHECK_EQ(c.resp.kind, 0x81);
    CHECK_EQ(c.resp.status, 0);
    CHECK_EQ(c.payload[0], 1);
    CHECK_EQ(u32(c.payload + 4), 168000000u);
    CHECK_EQ(u32(c.payload + 8), 262144u);
    CHECK_EQ(u32(c.payload + 12), 65536u);
    CHECK_EQ(c.payload[28], 13);
    CHECK(memcmp(c.payload + 29, "sim-stm32f405", 13) == 0);

    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    CHECK_EQ(hc_upload(&c, blob, size), 0);
    uint8_t in[4 + 36] = {0};
    for (int i = 0; i < 36; i++) in[4 + i] = (uint8_t)(i * 7);
    CHECK(hc_request(&c, 0x20, in, sizeof in, 1000, 0) && c.resp.status == 0);

    sim_wire_t w;
    CHECK(sim_wire_open(&w, wire_path));
    sim_wire_event_t last;
    sim_wire_seek_latest(&w, &last);
    uint8_t run[5] = {3, 0, 0, 0, 1};
    CHECK(hc_request(&c, 0x21, run, 5, 2000, 0));
    CHECK_EQ(c.resp.status, 0);
    CHECK_EQ(u32(c.payload), 3);
    CHECK_EQ(u32(c.payload + 4), 3 * DEMO_CYCLES);
    CHECK_EQ(u32(c.payload + 12), DEMO_CYCLES);
    CHECK_EQ(u32(c.payload + 16), DEMO_CYCLES);
    /* wire: per inference a rising edge, 5 op events, a falling edge DEMO_CYCLES later */
    sim_wire_event_t ev[64];
    int n = 0;
    while (n < 64 && sim_wire_next(&w, &ev[n])) n++;
    CHECK_EQ(n, 3 * 7);
    for (int k = 0; k + 6 < n; k += 7) {
        CHECK_EQ(ev[k].trigger, 1);
        CHECK_EQ(ev[k + 1].current_ua, 21000 + 4 * 900); /* conv, 4-bit */
        CHECK_EQ(ev[k + 2].current_ua, 21000);           /* maxpool */
        CHECK_EQ(ev[k + 4].current_ua, 21000 + 8 * 900); /* fc, 8-bit */
        CHECK_EQ(ev[k + 6].trigger, 0);
        CHECK_EQ(ev[k + 6].current_ua, 2100);
        CHECK_EQ(ev[k + 6].t_ns - ev[k].t_ns, (uint64_t)DEMO_CYCLES * 1000000000ull / 168000000ull);
        /* conv ends 2827 cycles after the rise */
        CHECK_EQ(ev[k + 2].t_ns - ev[k].t_ns, 2827ull * 1000000000ull / 168000000ull);
        if (k > 0) CHECK(ev[k].t_ns >= ev[k - 1].t_ns + 20000); /* idle gap between windows */
    }
    sim_wire_close(&w);

    /* outputs are the same on every read */
    uint8_t rd[6] = {0, 0, 0, 0, 3, 0};
    CHECK(hc_request(&c, 0x22, rd, 6, 1000, 0) && c.resp.status == 0 && c.resp.len == 3);
    uint8_t out1[3];
    memcpy(out1, c.payload, 3);
    run[4] = 0;
    CHECK(hc_request(&c, 0x21, run, 5, 2000, 0) && c.resp.status == 0);
    CHECK(hc_request(&c, 0x22, rd, 6, 1000, 0) && c.resp.len == 3);
    CHECK_MEM(c.payload, out1, 3);
    CHECK_EQ(hc_stop(&c), 0);
}

static void test_noisy_line(const char *bin)
{
    const char *args[] = {"--fault-rate", "0.004", "--fault-seed", "7", 0};
    host_client_t c;
    CHECK(hc_start(&c, bin, args));
    int ok = 0;
    for (int i = 0; i < 40; i++)
        if (hc_request(&c, 0x01, 0, 0, 150, 20) && c.resp.status == 0 && c.resp.len == 42) ok++;
    CHECK_EQ(ok, 40);
    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    CHECK_EQ(hc_upload(&c, blob, size), 0);
    uint8_t run[5] = {5, 0, 0, 0, 0};
    CHECK(hc_request(&c, 0x21, run, 5, 300, 20) && c.resp.status == 0);
    CHECK_EQ(u32(c.payload + 4), 5 * DEMO_CYCLES);
    printf("noisy line: %d retries\n", c.retries_used);
    CHECK(c.retries_used > 0); /* the faults really happened and retries recovered */
    CHECK_EQ(hc_stop(&c), 0);
}

static void test_model_store(const char *bin, const char *dir)
{
    char store[512];
    snprintf(store, sizeof store, "%s/model.bin", dir);
    const char *args[] = {"--model-store", store, "--board-id", "bench-7", 0};
    static uint8_t blob[8192];
    uint32_t size = (uint32_t)bt_demo_model(blob, sizeof blob);
    host_client_t c;
    CHECK(hc_start(&c, bin, args));
    CHECK_EQ(hc_upload(&c, blob, size), 0);
    CHECK(hc_request(&c, 0x01, 0, 0, 1000, 0));
    uint32_t crc = u32(c.payload + 20);
    CHECK(crc != 0);
    CHECK_EQ(hc_stop(&c), 0);
    CHECK(hc_start(&c, bin, args));
    CHECK(hc_request(&c, 0x01, 0, 0, 1000, 0));
    CHECK_EQ(u32(c.payload + 20), crc);
    CHECK_EQ(u32(c.payload + 24), size);
    CHECK(memcmp(c.payload + 29, "bench-7", 7) == 0);
    CHECK_EQ(hc_stop(&c), 0);
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: test_host_pty BINARY\n"); return 2; }
    char dir[] = "/tmp/fwhost-test-XXXXXX";
    if (!mkdtemp(dir)) return 2;
    test_identify_run_wire(argv[1], dir);
    test_noisy_line(argv[1]);
    test_model_store(argv[1], dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cleanup failed\n");
    return test_end("host_pty");
}
