/* The sampler integrates the wire's timeline into 10 us samples. */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "ppk2_sampler.h"

int main(void)
{
    char path[] = "/tmp/ppk2-sampler-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    sim_wire_t writer, reader;
    CHECK(sim_wire_open(&writer, path));
    sim_wire_append(&writer, 1000, 0, 2000); /* before the reader: only the level in force counts */
    CHECK(sim_wire_open(&reader, path));
    ppk2_sampler_t s;
    ppk2_sampler_init(&s, &reader);
    uint64_t t0 = 1000000;
    sim_wire_append(&writer, t0 + 5000, 1, 10000);  /* rise half-way through sample 0 */
    sim_wire_append(&writer, t0 + 12500, 1, 30000); /* 25% into sample 1 */
    sim_wire_append(&writer, t0 + 30000, 0, 2000);  /* exactly at sample 3's start */
    double ua;
    bool trig;
    ppk2_sampler_take(&s, t0, &ua, &trig);
    CHECK(fabs(ua - 6000) < 1e-9 && trig);           /* (2000 + 10000) / 2, high 50% */
    ppk2_sampler_take(&s, t0 + 10000, &ua, &trig);
    CHECK(fabs(ua - 25000) < 1e-9 && trig);          /* 0.25*10000 + 0.75*30000 */
    ppk2_sampler_take(&s, t0 + 20000, &ua, &trig);
    CHECK(fabs(ua - 30000) < 1e-9 && trig);
    ppk2_sampler_take(&s, t0 + 30000, &ua, &trig);
    CHECK(fabs(ua - 2000) < 1e-9 && !trig);
    /* a short pulse inside one sample: charge is kept, trigger below half is low */
    sim_wire_append(&writer, t0 + 41000, 1, 50000);
    sim_wire_append(&writer, t0 + 43000, 0, 2000);
    ppk2_sampler_take(&s, t0 + 40000, &ua, &trig);
    CHECK(fabs(ua - (0.2 * 50000 + 0.8 * 2000)) < 1e-9 && !trig);
    /* no wire: zero current, low trigger */
    ppk2_sampler_t none;
    ppk2_sampler_init(&none, 0);
    ppk2_sampler_take(&none, 0, &ua, &trig);
    CHECK(ua == 0 && !trig);
    sim_wire_close(&writer);
    sim_wire_close(&reader);
    unlink(path);
    return test_end("ppk2_sampler");
}
