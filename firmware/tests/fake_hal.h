/* A HAL for in-process tests: captures UART output, counts op accounting, RAM model store. */
#ifndef FW_FAKE_HAL_H
#define FW_FAKE_HAL_H
#include <stddef.h>
#include <stdint.h>

#define FAKE_OUT_CAP 65536
extern uint8_t g_fake_out[FAKE_OUT_CAP];
extern size_t g_fake_out_len;
extern uint32_t g_fake_ops;        /* hal_account_op calls */
extern uint32_t g_fake_triggers;   /* rising edges */
extern int g_fake_trigger_level;
extern uint32_t g_fake_model_capacity;
extern uint32_t g_fake_clock_hz;
extern const char *g_fake_board_id;
extern uint32_t g_fake_commits;
extern uint8_t g_fake_region[1 << 20];
void fake_reset_output(void);
#endif
