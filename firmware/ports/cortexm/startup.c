/* Reset handler and vector table shared by the Cortex-M ports: copy .data from its load
 * address, zero .bss, call main. The linker script provides the symbols below. Handlers a
 * port does not define fall through to a hang, so a fault is visible under a debugger or
 * QEMU's -d int instead of running on with corrupt state. */
#include <stdint.h>
#include <string.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);

void Reset_Handler(void);
void Default_Handler(void);
void Default_Handler(void) { for (;;) { } }
/* Ports override these (weak aliases) when they need them. */
void NMI_Handler(void) __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler(void) __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SVC_Handler(void) __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler(void) __attribute__((weak, alias("Default_Handler")));
void SysTick_Handler(void) __attribute__((weak, alias("Default_Handler")));

typedef void (*vector_t)(void);

/* The 16 core exceptions. A port with peripheral interrupts defines FW_PORT_OWN_VECTORS and
 * its own, longer table (see ports/nucleo_l476rg/vectors.c). */
#ifndef FW_PORT_OWN_VECTORS
__attribute__((section(".isr_vector"), used)) const vector_t g_vectors[16] = {
    (vector_t)(uintptr_t)&_estack,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    0, 0,
    PendSV_Handler,
    SysTick_Handler,
};
#endif

void Reset_Handler(void)
{
    uint8_t *src = (uint8_t *)&_sidata;
    if (src != (uint8_t *)&_sdata) memcpy(&_sdata, src, (size_t)((uint8_t *)&_edata - (uint8_t *)&_sdata));
    memset(&_sbss, 0, (size_t)((uint8_t *)&_ebss - (uint8_t *)&_sbss));
    main();
    for (;;) { }
}
