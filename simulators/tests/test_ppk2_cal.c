/* Calibration: encode -> the decoder's formula gives the current back within half a code;
 * auto-ranging picks the finest range that does not saturate; the metadata text parses back
 * to exactly the constants used. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "ppk2_cal.h"

static double meta_value(const char *meta, const char *key)
{
    char pat[16];
    snprintf(pat, sizeof pat, "\n%s: ", key);
    const char *p = strstr(meta, pat);
    return p ? strtod(p + strlen(pat), 0) : NAN;
}

int main(void)
{
    ppk2_cal_t c;
    ppk2_cal_default(&c);
    unsigned vdds[] = {3000, 1800, 5000};
    int n = 0;
    for (int v = 0; v < 3; v++)
        for (double ua = 0.3; ua < 900000.0; ua *= 1.0137, n++) {
            unsigned r, code;
            ppk2_cal_encode(&c, ua, vdds[v], &r, &code);
            CHECK(r < PPK2_RANGES && code <= PPK2_ADC_MAX);
            double got = ppk2_cal_decode(&c, r, code, vdds[v]);
            double step = fabs(ppk2_cal_decode(&c, r, code + 1, vdds[v]) - ppk2_cal_decode(&c, r, code, vdds[v]));
            if (!(fabs(got - ua) <= step / 2 * 1.0001)) {
                fprintf(stderr, "ua %.3f: range %u code %u decodes to %.3f (step %.4f)\n", ua, r, code, got, step);
                CHECK(0);
            }
            /* auto-ranging: this range holds it, the next finer one would saturate */
            CHECK(got <= ppk2_cal_decode(&c, r, PPK2_ADC_MAX, vdds[v]) + step);
            if (r > 0) CHECK(ua >= ppk2_cal_decode(&c, r - 1, PPK2_ADC_MAX, vdds[v]) - step);
        }
    printf("%d currents checked\n", n);
    /* the simulated MCU's currents land in the expected ranges */
    unsigned r, code;
    ppk2_cal_encode(&c, 2100, 3000, &r, &code);
    CHECK(r == 1);
    ppk2_cal_encode(&c, 28200, 3000, &r, &code);
    CHECK(r == 2);
    ppk2_cal_encode(&c, 100, 3000, &r, &code);
    CHECK(r == 0);
    ppk2_cal_encode(&c, -50, 3000, &r, &code);
    CHECK(r == 0 && code == 0);

    /* metadata: every constant reported equals the one the encoder uses */
    char meta[2048];
    size_t m = ppk2_cal_metadata(&c, 3300, meta, sizeof meta);
    CHECK(m > 200 && m < sizeof meta);
    CHECK(strncmp(meta, "Calibrated: 0\n", 14) == 0);
    CHECK(m >= 4 && strcmp(meta + m - 4, "END\n") == 0);
    CHECK(meta_value(meta, "VDD") == 3300);
    const char *keys[] = {"R", "GS", "GI", "O", "S", "I", "UG"};
    const double *vals[] = {c.r, c.gs, c.gi, c.o, c.s, c.i, c.ug};
    for (int k = 0; k < 7; k++)
        for (int i = 0; i < PPK2_RANGES; i++) {
            char key[8];
            snprintf(key, sizeof key, "%s%d", keys[k], i);
            CHECK(meta_value(meta, key) == vals[k][i]);
        }
    CHECK(c.gs[1] > 0 && c.gi[1] != 1.0 && c.o[2] != 0); /* non-trivial on purpose */

    /* sample word layout */
    uint32_t w = ppk2_sample_word(0x3ABC, 3, 45, 1);
    CHECK((w & 0x3FFF) == 0x3ABC);
    CHECK(((w >> 14) & 7) == 3);
    CHECK(((w >> 18) & 0x3F) == 45);
    CHECK((w >> 24) == 1);
    CHECK((w & (1u << 17)) == 0);
    return test_end("ppk2_cal");
}
