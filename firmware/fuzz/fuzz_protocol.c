/* libFuzzer harness: arbitrary bytes on the serial line → frame receiver → dispatcher → the
 * responses the fake HAL captures. Beyond ASan/UBSan finding out-of-bounds or UB, it checks
 * that everything the device sends is a well-formed frame (CRC ok) answering a request. */
#include <stdint.h>
#include <stdlib.h>
#include "fake_hal.h"
#include "frame.h"
#include "protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static proto_t p;
    static frame_rx_t rx;
    proto_config_t cfg = {32768};
    g_fake_model_capacity = 65536;
    fake_reset_output();
    proto_init(&p, &cfg, 0); /* every input starts from a fresh device */
    proto_feed(&p, data, size);

    frame_rx_init(&rx);
    for (size_t i = 0; i < g_fake_out_len; i++) {
        frame_t f;
        frame_rx_result_t r = frame_rx_feed(&rx, g_fake_out[i], &f);
        if (r == FRAME_RX_BAD) abort(); /* the device emitted a broken frame */
        if (r == FRAME_RX_FRAME && f.kind < 0x80) abort(); /* responses only */
    }
    return 0;
}
