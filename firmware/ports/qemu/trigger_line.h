/* The trigger pin of the QEMU port. QEMU has no wire to a power monitor, so the "pin" is the
 * second UART: each triggered inference is reported as text lines with virtual timestamps
 * (ns since boot, from the SysTick count), after its falling edge:
 *   R <t_ns>\n           rising edge
 *   O <t_ns> <bits>\n    an op starts (bits = weight bits of a MAC op, 0 otherwise)
 *   F <t_ns>\n           falling edge
 * then the port waits for one 'A' byte from the other end (simulators/qemu_trigger), which
 * sends it once its real-time replay of the window has passed: the host port's real-time
 * stretching, done by the bridge. Nothing is sent inside the measured window; recording an
 * op costs a few deterministic instructions. */
#ifndef FW_TRIGGER_LINE_H
#define FW_TRIGGER_LINE_H
#include <stdbool.h>
#include <stdint.h>

void trigger_line_init(uint32_t clock_hz);
void trigger_line_set(bool high, uint64_t ticks);
void trigger_line_op(uint8_t weight_bits, uint64_t ticks);
#endif
