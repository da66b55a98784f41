/* HAL of the QEMU port (mps2-an386): CMSDK UART0 is the protocol line, SysTick the cycle
 * counter, UART1 the trigger line (trigger_line.h), and the model lives in RAM. */
#include <string.h>
#include "../../hal/hal.h"
#include "board.h"
#include "cmsdk_uart.h"
#include "systick_clock.h"
#include "trigger_line.h"

static uint8_t g_region[BOARD_MODEL_BYTES] __attribute__((aligned(4)));

static uint64_t ms_to_ticks(uint32_t ms) { return (uint64_t)ms * (BOARD_CLOCK_HZ / 1000u); }

size_t hal_uart_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    if (cap == 0) return 0;
    uint64_t start = systick_clock_now(), limit = ms_to_ticks(timeout_ms);
    while (!cmsdk_uart_rx_ready(CMSDK_UART0_BASE)) {
        if (systick_clock_now() - start >= limit) return 0;
    }
    /* then take what is already waiting: QEMU refills the one-byte holding register as soon
     * as the guest empties it, if the host has sent more */
    size_t n = 0;
    do {
        buf[n++] = cmsdk_uart_getc(CMSDK_UART0_BASE);
        for (int spin = 0; spin < 64 && !cmsdk_uart_rx_ready(CMSDK_UART0_BASE); spin++) { }
    } while (n < cap && cmsdk_uart_rx_ready(CMSDK_UART0_BASE));
    systick_clock_rephase(); /* what follows no longer depends on when the bytes came */
    return n;
}

void hal_uart_write(const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n; i++) cmsdk_uart_putc(CMSDK_UART0_BASE, data[i]);
}

void hal_trigger_set(bool high) { trigger_line_set(high, systick_clock_now()); }

/* The core reads the counter right before and right after each inference. Rephasing at each
 * read starts the window exactly on a count boundary, so an inference of the same
 * instructions always spans the same number of counts (see systick_clock.h). */
uint32_t hal_cycles(void)
{
    systick_clock_rephase();
    return (uint32_t)systick_clock_now();
}

void hal_account_op(uint8_t op_type, uint8_t weight_bits, uint64_t macs, uint64_t elems)
{
    (void)op_type; (void)macs; (void)elems; /* the cycles are real here, not a cost model */
    trigger_line_op(weight_bits, systick_clock_now());
}

const uint8_t *hal_model_region(uint32_t *capacity)
{
    *capacity = BOARD_MODEL_BYTES;
    return g_region;
}

bool hal_model_begin(uint32_t size)
{
    if (size > BOARD_MODEL_BYTES) return false;
    memset(g_region, 0xFF, size); /* like erased flash */
    return true;
}

bool hal_model_write(uint32_t offset, const uint8_t *data, uint32_t n)
{
    if (offset > BOARD_MODEL_BYTES || BOARD_MODEL_BYTES - offset < n) return false;
    memcpy(g_region + offset, data, n);
    return true;
}

void hal_model_commit(uint32_t size) { (void)size; /* RAM: nothing survives QEMU anyway */ }

const char *hal_board_id(void) { return BOARD_ID; }
uint32_t hal_clock_hz(void) { return BOARD_CLOCK_HZ; }
