/* edgeautoml-fw-nucleo_l476rg: the firmware for the NUCLEO-L476RG (see README.md). */
#include "../../core/protocol.h"
#include "../common/embedded_model.h"
#include "board.h"
#include "clock.h"
#include "model_store.h"
#include "stm32l476.h"
#include "usart2.h"

static void trigger_pin_init(void)
{
    RCC_AHB2ENR |= 1u; /* GPIOA */
    (void)RCC_AHB2ENR;
    GPIOA_BSRR = 1u << (BOARD_TRIGGER_PIN + 16u); /* low before it becomes an output */
    GPIOA_MODER = (GPIOA_MODER & ~(3u << (2u * BOARD_TRIGGER_PIN))) | (1u << (2u * BOARD_TRIGGER_PIN));
    GPIOA_OSPEEDR |= 3u << (2u * BOARD_TRIGGER_PIN); /* fast edges for the monitor */
}

int main(void)
{
    clock_init_80mhz();
    cycle_counter_init();
    trigger_pin_init();
    usart2_init(BOARD_CLOCK_HZ, BOARD_BAUD);
    static proto_t proto; /* static: it holds the retry cache (several KiB) */
    proto_config_t cfg = {FW_ARENA_BYTES};
#ifdef EDGEAUTOML_EMBEDDED_MODEL
    /* Built with an exported model: boot with it, read in place from flash (hal_nucleo.c). */
    proto_init(&proto, &cfg, fw_embedded_model_bytes);
#else
    proto_init(&proto, &cfg, model_store_restore()); /* a model committed before a reset is kept */
#endif
    for (;;) proto_poll(&proto, 200);
}
