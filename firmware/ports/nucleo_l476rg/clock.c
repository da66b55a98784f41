/* 80 MHz system clock: HSI16 -> PLL (M=1, N=10, R=2), 4 flash wait states (RM0351 3.3.3,
 * range 1). APB1/APB2 undivided, so USART2 runs on 80 MHz too. */
#include "clock.h"

#include "stm32l476.h"

void clock_init_80mhz(void)
{
    RCC_CR |= RCC_CR_HSION;
    while (!(RCC_CR & RCC_CR_HSIRDY)) { }
    FLASH_ACR = (FLASH_ACR & ~7u) | 4u; /* wait states first, before the clock goes up */
    while ((FLASH_ACR & 7u) != 4u) { }
    RCC_CR &= ~RCC_CR_PLLON;
    while (RCC_CR & RCC_CR_PLLRDY) { }
    /* PLLSRC=HSI16 (2), PLLM=1 (0), PLLN=10, PLLR=/2 (0), PLLREN */
    RCC_PLLCFGR = 2u | (0u << 4) | (10u << 8) | (0u << 25) | (1u << 24);
    RCC_CR |= RCC_CR_PLLON;
    while (!(RCC_CR & RCC_CR_PLLRDY)) { }
    RCC_CFGR = (RCC_CFGR & ~3u) | 3u; /* SW = PLL */
    while (((RCC_CFGR >> 2) & 3u) != 3u) { }
}

void cycle_counter_init(void)
{
    DEMCR |= DEMCR_TRCENA;
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u; /* CYCCNTENA */
}
