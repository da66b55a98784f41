/* mps2-an386 as QEMU 7.2 models it. */
#ifndef FW_QEMU_BOARD_H
#define FW_QEMU_BOARD_H

#define BOARD_ID "qemu-mps2-an386"
/* QEMU's mps2 SYSCLK, which drives the CPU, SysTick (CLKSOURCE=1) and the APB UARTs. Under
 * -icount shift=0 one instruction takes 1 ns of virtual time, so one SysTick count is 40
 * instructions: cycles here are virtual time x 25 MHz, not a cycle-accurate M4 model. */
#define BOARD_CLOCK_HZ 25000000u
#define BOARD_BAUD 115200u
/* Model storage: a RAM region (QEMU has no persistent flash here). */
#define BOARD_MODEL_BYTES (1024u * 1024u)
#endif
