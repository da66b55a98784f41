/* USART2 on PA2 (TX) / PA3 (RX), AF7: the ST-LINK virtual COM port. Reception is interrupt
 * driven into a ring, so bytes arriving while the core programs flash or runs a model are
 * kept (the host may have a whole window of frames in flight); transmission is polled. */
#ifndef FW_NUCLEO_USART2_H
#define FW_NUCLEO_USART2_H
#include <stddef.h>
#include <stdint.h>

void usart2_init(uint32_t pclk_hz, uint32_t baud);
/* Moves up to cap received bytes out of the ring; returns how many. */
size_t usart2_take(uint8_t *buf, size_t cap);
void usart2_write(const uint8_t *data, size_t n);
/* Bytes lost to a full ring or an overrun since start (for diagnostics). */
uint32_t usart2_dropped(void);
#endif
