/* HAL of the NUCLEO-L476RG port: USART2 (ST-LINK VCP), DWT CYCCNT, trigger on PA0, model in
 * flash bank 2 (model_store.c). */
#include "../common/embedded_model.h"
#include "../../hal/hal.h"
#include "board.h"
#include "model_store.h"
#include "stm32l476.h"
#include "usart2.h"

size_t hal_uart_read(uint8_t *buf, size_t cap, uint32_t timeout_ms)
{
    for (uint32_t ms = 0;; ms++) {
        uint32_t t0 = DWT_CYCCNT;
        do {
            size_t n = usart2_take(buf, cap);
            if (n) return n;
        } while (DWT_CYCCNT - t0 < BOARD_CLOCK_HZ / 1000u); /* wrap-safe: unsigned difference */
        if (ms >= timeout_ms) return 0;
    }
}

void hal_uart_write(const uint8_t *data, size_t n) { usart2_write(data, n); }

void hal_trigger_set(bool high)
{
    GPIOA_BSRR = high ? (1u << BOARD_TRIGGER_PIN) : (1u << (BOARD_TRIGGER_PIN + 16u));
}

uint32_t hal_cycles(void) { return DWT_CYCCNT; }

void hal_account_op(uint8_t op_type, uint8_t weight_bits, uint64_t macs, uint64_t elems)
{
    (void)op_type; (void)weight_bits; (void)macs; (void)elems; /* real silicon: nothing to simulate */
}

#ifdef EDGEAUTOML_EMBEDDED_MODEL
/* Built with an exported model: it is read in place from flash until a MODEL_BEGIN replaces it. */
static bool g_use_embedded = true;
#endif

const uint8_t *hal_model_region(uint32_t *capacity)
{
    *capacity = BOARD_MODEL_BYTES;
#ifdef EDGEAUTOML_EMBEDDED_MODEL
    if (g_use_embedded) return fw_embedded_model;
#endif
    return model_store_region();
}

bool hal_model_begin(uint32_t size)
{
#ifdef EDGEAUTOML_EMBEDDED_MODEL
    g_use_embedded = false;
#endif
    return model_store_begin(size);
}
bool hal_model_write(uint32_t offset, const uint8_t *data, uint32_t n) { return model_store_write(offset, data, n); }
void hal_model_commit(uint32_t size) { model_store_commit(size); }
const char *hal_board_id(void) { return BOARD_ID; }
uint32_t hal_clock_hz(void) { return BOARD_CLOCK_HZ; }
