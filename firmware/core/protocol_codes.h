/* Command codes and status codes of PROTOCOL.md v1. */
#ifndef FW_PROTOCOL_CODES_H
#define FW_PROTOCOL_CODES_H

#define PROTOCOL_VERSION 1
#define FW_VERSION       0x0001 /* major << 8 | minor */

enum {
    CMD_IDENTIFY = 0x01,
    CMD_RESET = 0x02,
    CMD_MODEL_BEGIN = 0x10,
    CMD_MODEL_CHUNK = 0x11,
    CMD_MODEL_COMMIT = 0x12,
    CMD_SET_INPUT = 0x20,
    CMD_RUN = 0x21,
    CMD_READ_OUTPUT = 0x22,
};

enum {
    ST_OK = 0,
    ST_BAD_FRAME = 1,
    ST_BAD_LENGTH = 2,
    ST_UNKNOWN_CMD = 3,
    ST_BAD_STATE = 4,
    ST_OUT_OF_RANGE = 5,
    ST_MODEL_CRC = 6,
    ST_MODEL_INVALID = 7,
    ST_NO_MODEL = 8,
    ST_TOO_LARGE = 9,
    ST_BAD_ARG = 10,
};
#endif
