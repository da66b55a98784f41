/* The STM32L476 registers this port uses (RM0351 reference manual), written here because no
 * vendor headers are a dependency. Offsets are from the RM's register maps. */
#ifndef FW_STM32L476_H
#define FW_STM32L476_H
#include "../cortexm/armv7m.h"

#define RCC_BASE      0x40021000u
#define RCC_CR        REG32(RCC_BASE + 0x00u)
#define RCC_CFGR      REG32(RCC_BASE + 0x08u)
#define RCC_PLLCFGR   REG32(RCC_BASE + 0x0Cu)
#define RCC_AHB2ENR   REG32(RCC_BASE + 0x4Cu)
#define RCC_APB1ENR1  REG32(RCC_BASE + 0x58u)
#define RCC_CR_HSION  (1u << 8)
#define RCC_CR_HSIRDY (1u << 10)
#define RCC_CR_PLLON  (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)

#define FLASH_BASE_R  0x40022000u
#define FLASH_ACR     REG32(FLASH_BASE_R + 0x00u)
#define FLASH_KEYR    REG32(FLASH_BASE_R + 0x08u)
#define FLASH_SR      REG32(FLASH_BASE_R + 0x10u)
#define FLASH_CR      REG32(FLASH_BASE_R + 0x14u)
#define FLASH_SR_BSY  (1u << 16)
#define FLASH_SR_ERRORS 0xC3FAu /* OPERR PROGERR WRPERR PGAERR SIZERR PGSERR MISSERR FASTERR RDERR OPTVERR */
#define FLASH_SR_EOP  (1u << 0)
#define FLASH_CR_PG   (1u << 0)
#define FLASH_CR_PER  (1u << 1)
#define FLASH_CR_PNB_SHIFT 3
#define FLASH_CR_BKER (1u << 11)
#define FLASH_CR_STRT (1u << 16)
#define FLASH_CR_LOCK (1u << 31)

#define GPIOA_BASE    0x48000000u
#define GPIOA_MODER   REG32(GPIOA_BASE + 0x00u)
#define GPIOA_OSPEEDR REG32(GPIOA_BASE + 0x08u)
#define GPIOA_AFRL    REG32(GPIOA_BASE + 0x20u)
#define GPIOA_BSRR    REG32(GPIOA_BASE + 0x18u)

#define USART2_BASE   0x40004400u
#define USART2_CR1    REG32(USART2_BASE + 0x00u)
#define USART2_BRR    REG32(USART2_BASE + 0x0Cu)
#define USART2_ISR    REG32(USART2_BASE + 0x1Cu)
#define USART2_ICR    REG32(USART2_BASE + 0x20u)
#define USART2_RDR    REG32(USART2_BASE + 0x24u)
#define USART2_TDR    REG32(USART2_BASE + 0x28u)
#define USART_CR1_UE     (1u << 0)
#define USART_CR1_RE     (1u << 2)
#define USART_CR1_TE     (1u << 3)
#define USART_CR1_RXNEIE (1u << 5)
#define USART_ISR_ORE    (1u << 3)
#define USART_ISR_RXNE   (1u << 5)
#define USART_ISR_TXE    (1u << 7)
#define USART_ICR_ORECF  (1u << 3)
#define USART2_IRQN   38u

#define NVIC_ISER(n)  REG32(0xE000E100u + 4u * (n))
#endif
