/* The few ARMv7-M system registers our Cortex-M ports touch (ARMv7-M Architecture Reference
 * Manual, B3.2 System Control Space). Written here because CMSIS is not a dependency. */
#ifndef FW_ARMV7M_H
#define FW_ARMV7M_H
#include <stdint.h>

#define REG32(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* SysTick (B3.3): 24-bit down counter. */
#define SYST_CSR   REG32(0xE000E010u)
#define SYST_RVR   REG32(0xE000E014u)
#define SYST_CVR   REG32(0xE000E018u)
#define SYST_CSR_ENABLE    (1u << 0)
#define SYST_CSR_TICKINT   (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* 1 = processor clock */
#define SYST_RELOAD_MAX    0x00FFFFFFu

/* Debug: DEMCR.TRCENA enables the DWT; DWT_CTRL.CYCCNTENA starts CYCCNT (C1.8). */
#define DEMCR      REG32(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL   REG32(0xE0001000u)
#define DWT_CYCCNT REG32(0xE0001004u)
#define DWT_LAR    REG32(0xE0001FB0u) /* lock access register on some M4/M7 parts */

/* Application interrupt and reset control (B3.2.6): write VECTKEY | SYSRESETREQ to reset. */
#define SCB_AIRCR  REG32(0xE000ED0Cu)
#define SCB_AIRCR_RESET (0x05FA0000u | (1u << 2))

static inline void cpu_irq_enable(void) { __asm__ volatile("cpsie i" ::: "memory"); }
static inline void cpu_irq_disable(void) { __asm__ volatile("cpsid i" ::: "memory"); }
static inline void cpu_dsb(void) { __asm__ volatile("dsb 0xF" ::: "memory"); }
#endif
