/* A 64-bit cycle counter from the 24-bit SysTick: the counter wraps every 2^24 clocks and the
 * SysTick interrupt counts the wraps. QEMU 7.2 leaves DWT CYCCNT at 0, so this is the only
 * clock there.
 *
 * Determinism under -icount shift=0: one instruction is 1 ns of virtual time and one count
 * is 1e9/clock_hz ns (40 instructions at 25 MHz). Where in its 40-instruction count period a
 * measurement starts depends on when the host's bytes arrived, which is real time, so two
 * runs of the same inference could differ by one count. systick_clock_rephase() restarts the
 * period at the current instruction (a CVR write restarts QEMU's ptimer), so everything from
 * there on — parsing the frame, RUN, each inference — lands on the same counts every time.
 * The port calls it whenever an outside event (UART input, the trigger ack) ends a wait.
 * Each rephase drops the part of a count already elapsed (< 1 count). */
#ifndef FW_SYSTICK_CLOCK_H
#define FW_SYSTICK_CLOCK_H
#include <stdint.h>

void systick_clock_start(void);
uint64_t systick_clock_now(void);
void systick_clock_rephase(void);
#endif
