#include "systick_clock.h"

#include "../cortexm/armv7m.h"

#define SCB_ICSR REG32(0xE000ED04u)
#define ICSR_PENDSTCLR (1u << 25)

static volatile uint32_t g_wraps; /* wraps since the last (re)phase */
static uint64_t g_base;           /* counts before the last (re)phase */

void SysTick_Handler(void) { g_wraps++; }

/* After a CVR write the counter reads 0 for one count, then RVR, RVR-1, ... 1, 0 (interrupt),
 * RVR, ...: counts since the write = wraps * 2^24 + ((2^24 - CVR) mod 2^24). */
static uint64_t since_phase(void)
{
    uint32_t w, v;
    do { /* a wrap between the two reads makes us read both again */
        w = g_wraps;
        v = SYST_CVR;
    } while (w != g_wraps);
    return ((uint64_t)w << 24) + ((0x01000000u - v) & SYST_RELOAD_MAX);
}

static void restart_period(void)
{
    cpu_irq_disable();
    SYST_CVR = 0;
    SCB_ICSR = ICSR_PENDSTCLR; /* a wrap that came between the read and the restart is moot */
    g_wraps = 0;
    cpu_irq_enable();
}

void systick_clock_start(void)
{
    SYST_CSR = 0;
    SYST_RVR = SYST_RELOAD_MAX;
    SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE;
    g_base = 0;
    restart_period();
}

uint64_t systick_clock_now(void) { return g_base + since_phase(); }

void systick_clock_rephase(void)
{
    g_base += since_phase();
    restart_period();
}
