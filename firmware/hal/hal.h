/* The hardware abstraction the portable core calls. Each port (host, qemu, a real board)
 * implements these few functions; the core never includes a port header. */
#ifndef FW_HAL_H
#define FW_HAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Serial line. read waits at most timeout_ms for the first byte, returns what is available
 * (0 on timeout). write blocks until all n bytes are queued. */
size_t hal_uart_read(uint8_t *buf, size_t cap, uint32_t timeout_ms);
void hal_uart_write(const uint8_t *data, size_t n);

/* The trigger pin the power monitor watches: high for exactly each inference. */
void hal_trigger_set(bool high);

/* Free-running cycle counter (DWT CYCCNT, SysTick, or the host port's virtual clock). */
uint32_t hal_cycles(void);

/* Called by the runtime after each op. No-op on real boards; the host port advances its
 * virtual clock and the simulated current with it. macs = multiply-accumulates (FC, conv),
 * elems = elements touched (other ops), see ports/host/README.md. */
void hal_account_op(uint8_t op_type, uint8_t weight_bits, uint64_t macs, uint64_t elems);

/* Model storage (flash on a board). The region is readable in place; writes go through
 * hal_model_write so a flash port can program pages. begin erases what a new model needs;
 * commit is told the final size once the core has verified CRC and contents. */
const uint8_t *hal_model_region(uint32_t *capacity);
bool hal_model_begin(uint32_t size);
bool hal_model_write(uint32_t offset, const uint8_t *data, uint32_t n);
void hal_model_commit(uint32_t size);

const char *hal_board_id(void);
uint32_t hal_clock_hz(void);
#endif
