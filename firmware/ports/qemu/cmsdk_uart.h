/* ARM CMSDK APB UART as QEMU models it on mps2 boards (hw/char/cmsdk-apb-uart.c): a one-byte
 * holding register each way, polled. Register layout from the CMSDK technical reference. */
#ifndef FW_CMSDK_UART_H
#define FW_CMSDK_UART_H
#include <stdbool.h>
#include <stdint.h>

#define CMSDK_UART0_BASE 0x40004000u /* first -serial: the protocol line */
#define CMSDK_UART1_BASE 0x40005000u /* second -serial: the trigger line to the power monitor */

void cmsdk_uart_init(uint32_t base, uint32_t pclk_hz, uint32_t baud);
bool cmsdk_uart_rx_ready(uint32_t base);
uint8_t cmsdk_uart_getc(uint32_t base); /* only after rx_ready */
void cmsdk_uart_putc(uint32_t base, uint8_t c);
#endif
