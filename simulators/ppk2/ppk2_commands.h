/* The PPK2's serial command set (opcode + fixed argument bytes), as used by nRF Connect Power
 * Profiler and ppk2-api-python. Commands may arrive split or coalesced: the parser buffers. */
#ifndef PPK2_COMMANDS_H
#define PPK2_COMMANDS_H
#include <stddef.h>
#include <stdint.h>

enum {
    PPK2_TRIGGER_SET = 0x01,
    PPK2_AVG_NUM_SET = 0x02,
    PPK2_TRIGGER_WINDOW_SET = 0x03,
    PPK2_TRIGGER_INTERVAL_SET = 0x04,
    PPK2_TRIGGER_SINGLE_SET = 0x05,
    PPK2_AVERAGE_START = 0x06,
    PPK2_AVERAGE_STOP = 0x07,
    PPK2_RANGE_SET = 0x08,
    PPK2_LCD_SET = 0x09,
    PPK2_TRIGGER_STOP = 0x0A,
    PPK2_DEVICE_RUNNING_SET = 0x0C,
    PPK2_REGULATOR_SET = 0x0D,
    PPK2_SWITCH_POINT_DOWN = 0x0E,
    PPK2_SWITCH_POINT_UP = 0x0F,
    PPK2_SET_POWER_MODE = 0x11,
    PPK2_RES_USER_SET = 0x12,
    PPK2_SPIKE_FILTERING_ON = 0x15,
    PPK2_SPIKE_FILTERING_OFF = 0x16,
    PPK2_GET_META_DATA = 0x19,
    PPK2_RESET = 0x20,
    PPK2_SET_USER_GAINS = 0x25,
};

/* Argument bytes after the opcode (0 for unknown opcodes, which are ignored). */
size_t ppk2_command_args(uint8_t opcode);

typedef struct {
    uint8_t buf[8];
    size_t n;
} ppk2_cmd_parser_t;

/* Feeds one byte; returns 1 and fills cmd[0..*len) when a whole command is complete. */
int ppk2_cmd_feed(ppk2_cmd_parser_t *p, uint8_t byte, uint8_t *cmd, size_t *len);
#endif
