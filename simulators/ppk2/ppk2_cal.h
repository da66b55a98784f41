/* The simulated PPK2's calibration: the constants it reports in GET_META_DATA and the exact
 * inverse of the decoder's formula (Nordic pc-nrfconnect-ppk / ppk2-api-python):
 *   adc4 = (sample & 0x3FFF) * 4;  r = range bits 14..16
 *   rwg  = (adc4 - O[r]) * (ADC_MULT / R[r])          ADC_MULT = 1.8 / 163840
 *   I[A] = UG[r] * (rwg * (GS[r] * rwg + GI[r]) + (S[r] * vdd_mV / 1000 + I[r])) */
#ifndef PPK2_CAL_H
#define PPK2_CAL_H
#include <stddef.h>
#include <stdint.h>

#define PPK2_RANGES   5
#define PPK2_ADC_MAX  16383
#define PPK2_ADC_MULT (1.8 / 163840.0)

typedef struct {
    double r[PPK2_RANGES], gs[PPK2_RANGES], gi[PPK2_RANGES], o[PPK2_RANGES];
    double s[PPK2_RANGES], i[PPK2_RANGES], ug[PPK2_RANGES];
} ppk2_cal_t;

/* Fills the constants by parsing the same text the device reports, so both agree exactly. */
void ppk2_cal_default(ppk2_cal_t *c);
/* The GET_META_DATA reply ("Calibrated: 0\nR0: ...\n...END\n") for the given vdd. */
size_t ppk2_cal_metadata(const ppk2_cal_t *c, unsigned vdd_mv, char *out, size_t cap);

/* Picks the range and 14-bit code a real PPK2 would report for current_ua: the
 * highest-resolution range (lowest index) whose code does not saturate, nearest code. */
void ppk2_cal_encode(const ppk2_cal_t *c, double current_ua, unsigned vdd_mv, unsigned *range, unsigned *code);
/* The decoder's formula (without its rolling-average spike filter), in microamps. */
double ppk2_cal_decode(const ppk2_cal_t *c, unsigned range, unsigned code, unsigned vdd_mv);

/* One 4-byte sample word: ADC bits 0-13, range 14-16, counter 18-23, logic 24-31. */
static inline uint32_t ppk2_sample_word(unsigned code, unsigned range, unsigned counter, unsigned logic)
{
    return (code & 0x3FFFu) | ((range & 7u) << 14) | ((counter & 0x3Fu) << 18) | ((logic & 0xFFu) << 24);
}
#endif
