/* The host port's cost model and noisy line. */
#include "check.h"
#include "../ports/host/cost_model.h"
#include "../ports/host/fault.h"

int main(void)
{
    cost_model_t c;
    cost_model_default(&c);
    /* FC 8-bit, 1000 MACs: 300 + 1000 * 2.2 = 2500 */
    CHECK_EQ(cost_model_cycles(&c, 8, 1000, 10), 2500);
    /* 4-bit, 3 MACs: 300 + 11.7 = 311.7 -> 312 */
    CHECK_EQ(cost_model_cycles(&c, 4, 3, 0), 312);
    /* non-MAC: 300 + 50 * 2 = 400 */
    CHECK_EQ(cost_model_cycles(&c, 0, 0, 50), 400);
    CHECK_EQ(cost_model_current(&c, 8), 21000 + 8 * 900);
    CHECK_EQ(cost_model_current(&c, 0), 21000);
    const char *bad = 0;
    CHECK(cost_model_parse(&c, "op=300,elem=2,mac2=4.4,mac3=4.4,mac4=3.9,mac5=3,mac6=3,mac7=3,mac8=2.2,idle_ua=2100,active_ua=21000,ua_per_bit=900", &bad));
    CHECK_EQ(cost_model_cycles(&c, 2, 10, 0), 344);
    CHECK(cost_model_parse(&c, "op=10,mac8=1.5", &bad));
    CHECK_EQ(cost_model_cycles(&c, 8, 3, 0), 15); /* 10 + 4.5 = 14.5 -> 15 */
    CHECK(!cost_model_parse(&c, "op=10,bogus=1", &bad));
    CHECK(bad && strncmp(bad, "bogus", 5) == 0);
    CHECK(!cost_model_parse(&c, "mac9=1", &bad));
    CHECK(!cost_model_parse(&c, "op=", &bad));
    CHECK(!cost_model_parse(&c, "op=-1", &bad));

    /* the noisy line: p = 0 is transparent; p > 0 changes bytes, deterministically per seed */
    uint8_t in[1000], out1[2000], out2[2000];
    for (int i = 0; i < 1000; i++) in[i] = (uint8_t)i;
    fault_t f;
    fault_init(&f, 0, 1);
    CHECK_EQ(fault_apply(&f, in, 1000, out1), 1000);
    CHECK_MEM(out1, in, 1000);
    fault_init(&f, 0.05, 42);
    size_t n1 = fault_apply(&f, in, 1000, out1);
    CHECK(f.injected > 20 && f.injected < 90);
    fault_init(&f, 0.05, 42);
    size_t n2 = fault_apply(&f, in, 1000, out2);
    CHECK_EQ(n1, n2);
    CHECK_MEM(out1, out2, n1);
    return test_end("cost_model");
}
