#include "fake_hal.h"

#include <string.h>
#include "hal.h"

uint8_t g_fake_out[FAKE_OUT_CAP];
size_t g_fake_out_len;
uint32_t g_fake_ops, g_fake_triggers, g_fake_commits;
int g_fake_trigger_level;
uint32_t g_fake_model_capacity = 65536;
uint32_t g_fake_clock_hz = 168000000;
const char *g_fake_board_id = "sim";
uint8_t g_fake_region[1 << 20];
static uint32_t g_cycles;

void fake_reset_output(void) { g_fake_out_len = 0; }

size_t hal_uart_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    (void)buf; (void)cap; (void)timeout_ms;
    return 0;
}

void hal_uart_write(const uint8_t *data, size_t n)
{
    if (g_fake_out_len + n > FAKE_OUT_CAP) return;
    memcpy(g_fake_out + g_fake_out_len, data, n);
    g_fake_out_len += n;
}

void hal_trigger_set(bool high)
{
    if (high && !g_fake_trigger_level) g_fake_triggers++;
    g_fake_trigger_level = high;
}

uint32_t hal_cycles(void) { return g_cycles; }

void hal_account_op(uint8_t op_type, uint8_t weight_bits, uint64_t macs, uint64_t elems)
{
    (void)op_type;
    g_fake_ops++;
    g_cycles += (uint32_t)(100 + macs * (weight_bits ? 2 : 0) + elems); /* any deterministic cost */
}

const uint8_t *hal_model_region(uint32_t *capacity)
{
    *capacity = g_fake_model_capacity;
    return g_fake_region;
}

bool hal_model_begin(uint32_t size) { memset(g_fake_region, 0xFF, size); return true; }

bool hal_model_write(uint32_t offset, const uint8_t *data, uint32_t n)
{
    memcpy(g_fake_region + offset, data, n);
    return true;
}

void hal_model_commit(uint32_t size) { (void)size; g_fake_commits++; }
const char *hal_board_id(void) { return g_fake_board_id; }
uint32_t hal_clock_hz(void) { return g_fake_clock_hz; }
