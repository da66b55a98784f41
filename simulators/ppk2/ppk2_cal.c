#include "ppk2_cal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Realistic, deliberately non-trivial constants (offsets, small second-order gain GS, gain
 * GI and user gain UG near 1, tiny supply-dependent S and offset I terms). Written once as
 * text: the device reports these strings and the encoder parses them back. */
static const char *const CAL_TEXT[][PPK2_RANGES] = {
    /* R  */ {"1031.64", "101.65", "10.15", "0.94", "0.043"},
    /* GS */ {"0.0", "2.1", "0.19", "0.011", "0.00021"},
    /* GI */ {"1.0", "0.9966", "0.9819", "0.9883", "0.9943"},
    /* O  */ {"112.72", "75.70", "61.66", "57.02", "62.03"},
    /* S  */ {"-0.000000070", "-0.000000002", "-0.000000001", "-0.000000003", "0.0"},
    /* I  */ {"-0.0000000155", "-0.0000001062", "0.00000045", "0.0000012", "0.000023"},
    /* UG */ {"1.00", "1.00", "0.998", "1.002", "1.00"},
};
static const char *const CAL_KEYS[] = {"R", "GS", "GI", "O", "S", "I", "UG"};

void ppk2_cal_default(ppk2_cal_t *c)
{
    double *dst[] = {c->r, c->gs, c->gi, c->o, c->s, c->i, c->ug};
    for (int k = 0; k < 7; k++)
        for (int r = 0; r < PPK2_RANGES; r++) dst[k][r] = strtod(CAL_TEXT[k][r], 0);
}

size_t ppk2_cal_metadata(const ppk2_cal_t *c, unsigned vdd_mv, char *out, size_t cap)
{
    (void)c;
    size_t n = 0;
#define EMIT(...) do { int w = snprintf(out + n, n < cap ? cap - n : 0, __VA_ARGS__); if (w > 0) n += (size_t)w; } while (0)
    EMIT("Calibrated: 0\n");
    /* the real firmware's order: R, GS, GI, O, VDD, HW, mode, S, I, UG, IA */
    for (int k = 0; k < 4; k++)
        for (int r = 0; r < PPK2_RANGES; r++) EMIT("%s%d: %s\n", CAL_KEYS[k], r, CAL_TEXT[k][r]);
    EMIT("VDD: %u\nHW: 9173\nmode: 2\n", vdd_mv);
    for (int k = 4; k < 7; k++)
        for (int r = 0; r < PPK2_RANGES; r++) EMIT("%s%d: %s\n", CAL_KEYS[k], r, CAL_TEXT[k][r]);
    EMIT("IA: 56\nEND\n");
#undef EMIT
    return n < cap ? n : cap;
}

double ppk2_cal_decode(const ppk2_cal_t *c, unsigned range, unsigned code, unsigned vdd_mv)
{
    double rwg = ((double)code * 4.0 - c->o[range]) * (PPK2_ADC_MULT / c->r[range]);
    double amps = c->ug[range] * (rwg * (c->gs[range] * rwg + c->gi[range]) +
                                  (c->s[range] * (vdd_mv / 1000.0) + c->i[range]));
    return amps * 1e6;
}

/* Solves GS*x^2 + GI*x + (S*vdd + I - target/UG) = 0 for the root near target/GI, in the
 * form that stays accurate when GS is tiny (no cancellation). */
static double solve_rwg(const ppk2_cal_t *c, unsigned r, double amps, unsigned vdd_mv)
{
    double k = c->s[r] * (vdd_mv / 1000.0) + c->i[r] - amps / c->ug[r];
    double a = c->gs[r], b = c->gi[r];
    double disc = b * b - 4.0 * a * k;
    if (a == 0.0 || disc < 0.0) return -k / b;
    return (-2.0 * k) / (b + sqrt(disc));
}

void ppk2_cal_encode(const ppk2_cal_t *c, double current_ua, unsigned vdd_mv, unsigned *range, unsigned *code)
{
    double amps = current_ua * 1e-6;
    for (unsigned r = 0; r < PPK2_RANGES; r++) {
        double adc4 = solve_rwg(c, r, amps, vdd_mv) * c->r[r] / PPK2_ADC_MULT + c->o[r];
        double q = floor(adc4 / 4.0);
        /* nearest in current, not in code: GS bends the curve slightly */
        if (q >= 0 && q < PPK2_ADC_MAX &&
            fabs(ppk2_cal_decode(c, r, (unsigned)q + 1, vdd_mv) - current_ua) <
                fabs(ppk2_cal_decode(c, r, (unsigned)q, vdd_mv) - current_ua))
            q += 1;
        if (q <= PPK2_ADC_MAX || r == PPK2_RANGES - 1) {
            *range = r;
            *code = q < 0 ? 0 : (q > PPK2_ADC_MAX ? PPK2_ADC_MAX : (unsigned)q);
            return;
        }
    }
}
