#include "ppk2_commands.h"

#include <string.h>

size_t ppk2_command_args(uint8_t opcode)
{
    switch (opcode) {
    case PPK2_TRIGGER_SET: case PPK2_TRIGGER_WINDOW_SET: case PPK2_TRIGGER_INTERVAL_SET:
    case PPK2_REGULATOR_SET:
        return 2;
    case PPK2_AVG_NUM_SET: case PPK2_RANGE_SET: case PPK2_LCD_SET: case PPK2_DEVICE_RUNNING_SET:
    case PPK2_SWITCH_POINT_DOWN: case PPK2_SWITCH_POINT_UP: case PPK2_SET_POWER_MODE:
    case PPK2_RES_USER_SET:
        return 1;
    case PPK2_SET_USER_GAINS:
        return 5; /* range byte + float32 gain */
    default:
        return 0;
    }
}

int ppk2_cmd_feed(ppk2_cmd_parser_t *p, uint8_t byte, uint8_t *cmd, size_t *len)
{
    p->buf[p->n++] = byte;
    size_t want = 1 + ppk2_command_args(p->buf[0]);
    if (p->n < want) return 0;
    memcpy(cmd, p->buf, want);
    *len = want;
    p->n = 0;
    return 1;
}
