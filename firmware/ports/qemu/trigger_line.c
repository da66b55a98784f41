#include "trigger_line.h"

#include "../../core/model.h"
#include "cmsdk_uart.h"
#include "systick_clock.h"

/* Wait this long (virtual time) for the bridge's ack; without a bridge (-serial null) RUN
 * must still finish. */
#define ACK_TIMEOUT_NS 2000000000ull

typedef struct {
    uint64_t t;
    uint8_t bits;
} op_mark_t;

static uint32_t g_hz;
static bool g_high;
static uint64_t g_rise, g_last;
static op_mark_t g_ops[MODEL_MAX_OPS];
static uint32_t g_n_ops;

void trigger_line_init(uint32_t clock_hz) { g_hz = clock_hz; }

static uint64_t to_ns(uint64_t ticks)
{
    return (ticks / g_hz) * 1000000000ull + (ticks % g_hz) * 1000000000ull / g_hz;
}

static void put_str(const char *s)
{
    while (*s) cmsdk_uart_putc(CMSDK_UART1_BASE, (uint8_t)*s++);
}

static void put_u64(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    put_str(buf + i);
}

static void send_line(char kind, uint64_t ticks, int bits)
{
    cmsdk_uart_putc(CMSDK_UART1_BASE, (uint8_t)kind);
    cmsdk_uart_putc(CMSDK_UART1_BASE, ' ');
    put_u64(to_ns(ticks));
    if (bits >= 0) { cmsdk_uart_putc(CMSDK_UART1_BASE, ' '); put_u64((uint64_t)bits); }
    cmsdk_uart_putc(CMSDK_UART1_BASE, '\n');
}

static void wait_ack(void)
{
    uint64_t start = to_ns(systick_clock_now());
    while (to_ns(systick_clock_now()) - start < ACK_TIMEOUT_NS) {
        if (cmsdk_uart_rx_ready(CMSDK_UART1_BASE) && cmsdk_uart_getc(CMSDK_UART1_BASE) == 'A') {
            systick_clock_rephase(); /* the next inference must not depend on the ack's timing */
            return;
        }
    }
}

void trigger_line_set(bool high, uint64_t ticks)
{
    if (high) {
        g_high = true;
        g_rise = g_last = ticks;
        g_n_ops = 0;
        return;
    }
    if (!g_high) return;
    g_high = false;
    send_line('R', g_rise, -1);
    for (uint32_t i = 0; i < g_n_ops; i++) send_line('O', g_ops[i].t, g_ops[i].bits);
    send_line('F', ticks, -1);
    wait_ack();
}

void trigger_line_op(uint8_t weight_bits, uint64_t ticks)
{
    if (!g_high) return;
    if (g_n_ops < MODEL_MAX_OPS) {
        g_ops[g_n_ops].t = g_last; /* the op ran from the previous mark until now */
        g_ops[g_n_ops].bits = weight_bits;
        g_n_ops++;
    }
    g_last = ticks;
}
