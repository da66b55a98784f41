/* edgeautoml-fw-qemu: the firmware for mps2-an386 under qemu-system-arm (see README.md). */
#include "../../core/protocol.h"
#include "board.h"
#include "cmsdk_uart.h"
#include "systick_clock.h"
#include "trigger_line.h"

int main(void)
{
    cmsdk_uart_init(CMSDK_UART0_BASE, BOARD_CLOCK_HZ, BOARD_BAUD);
    cmsdk_uart_init(CMSDK_UART1_BASE, BOARD_CLOCK_HZ, BOARD_BAUD);
    systick_clock_start();
    trigger_line_init(BOARD_CLOCK_HZ);
    static proto_t proto; /* static: it holds the retry cache (several KiB) */
    proto_config_t cfg = {FW_ARENA_BYTES};
    proto_init(&proto, &cfg, 0);
    for (;;) proto_poll(&proto, 200);
}
