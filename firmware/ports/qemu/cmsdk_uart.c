#include "cmsdk_uart.h"

#include "../cortexm/armv7m.h"

#define UART_DATA(b)    REG32((b) + 0x00u)
#define UART_STATE(b)   REG32((b) + 0x04u)
#define UART_CTRL(b)    REG32((b) + 0x08u)
#define UART_BAUDDIV(b) REG32((b) + 0x10u)
#define STATE_TX_FULL (1u << 0)
#define STATE_RX_FULL (1u << 1)
#define CTRL_TX_EN    (1u << 0)
#define CTRL_RX_EN    (1u << 1)

void cmsdk_uart_init(uint32_t base, uint32_t pclk_hz, uint32_t baud)
{
    /* QEMU ignores the rate but complains about a divider below 16, as the hardware would */
    uint32_t div = pclk_hz / baud;
    UART_BAUDDIV(base) = div < 16 ? 16 : div;
    UART_CTRL(base) = CTRL_TX_EN | CTRL_RX_EN;
}

bool cmsdk_uart_rx_ready(uint32_t base) { return (UART_STATE(base) & STATE_RX_FULL) != 0; }

uint8_t cmsdk_uart_getc(uint32_t base) { return (uint8_t)UART_DATA(base); }

void cmsdk_uart_putc(uint32_t base, uint8_t c)
{
    while (UART_STATE(base) & STATE_TX_FULL) { }
    UART_DATA(base) = c;
}
