#include "usart2.h"

#include "stm32l476.h"

/* A window of PROTO_WINDOW (4) full frames is ~4.4 KiB on the wire. */
#define RX_RING 8192u
static volatile uint8_t g_ring[RX_RING];
static volatile uint32_t g_head, g_tail; /* head: written by the ISR; tail: by the main loop */
static volatile uint32_t g_dropped;

void USART2_IRQHandler(void);
void USART2_IRQHandler(void)
{
    uint32_t isr = USART2_ISR;
    if (isr & USART_ISR_ORE) { USART2_ICR = USART_ICR_ORECF; g_dropped++; }
    if (isr & USART_ISR_RXNE) {
        uint8_t b = (uint8_t)USART2_RDR;
        uint32_t h = g_head;
        if (h - g_tail < RX_RING) { g_ring[h % RX_RING] = b; g_head = h + 1; }
        else g_dropped++;
    }
}

void usart2_init(uint32_t pclk_hz, uint32_t baud)
{
    RCC_AHB2ENR |= 1u;          /* GPIOA */
    RCC_APB1ENR1 |= 1u << 17;   /* USART2 */
    (void)RCC_APB1ENR1;         /* read back: the clock is on before the first access */
    GPIOA_MODER = (GPIOA_MODER & ~(0xFu << 4)) | (0xAu << 4);      /* PA2, PA3: alternate */
    GPIOA_AFRL = (GPIOA_AFRL & ~(0xFFu << 8)) | (0x77u << 8);       /* AF7 = USART2 */
    USART2_CR1 = 0;
    USART2_BRR = (pclk_hz + baud / 2) / baud; /* oversampling by 16 */
    USART2_CR1 = USART_CR1_UE | USART_CR1_RE | USART_CR1_TE | USART_CR1_RXNEIE;
    NVIC_ISER(USART2_IRQN / 32u) = 1u << (USART2_IRQN % 32u);
    cpu_irq_enable();
}

size_t usart2_take(uint8_t *buf, size_t cap)
{
    size_t n = 0;
    uint32_t t = g_tail;
    while (n < cap && t != g_head) buf[n++] = g_ring[t++ % RX_RING];
    g_tail = t;
    return n;
}

void usart2_write(const uint8_t *data, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        while (!(USART2_ISR & USART_ISR_TXE)) { }
        USART2_TDR = data[i];
    }
}

uint32_t usart2_dropped(void) { return g_dropped; }
