/* The host port's cost model: virtual cycles and simulated current per op, with the numbers
 * of a board profile's cost_model. Fixed point (thousandths of a cycle) keeps it exact and
 * identical on every machine. */
#ifndef HOST_COST_MODEL_H
#define HOST_COST_MODEL_H
#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint64_t op_milli, elem_milli, mac_milli[9]; /* mac_milli[b] for weight bits b = 2..8 */
    uint32_t idle_ua, active_ua, ua_per_bit;
} cost_model_t;

/* The sim-stm32f405 board profile's numbers. */
void cost_model_default(cost_model_t *c);
/* Parses "op=300,elem=2,mac2=4.4,...,idle_ua=2100,active_ua=21000,ua_per_bit=900" over the
 * current values. Any subset of keys; false (with *bad_key) on an unknown key or bad number. */
bool cost_model_parse(cost_model_t *c, const char *spec, const char **bad_key);

/* cycles = round(op + macs * mac<bits>) for MAC ops (bits 2..8), else round(op + elems * elem). */
uint64_t cost_model_cycles(const cost_model_t *c, uint8_t bits, uint64_t macs, uint64_t elems);
/* current during the op: active + bits * ua_per_bit for MAC ops, active otherwise. */
uint32_t cost_model_current(const cost_model_t *c, uint8_t bits);
#endif
