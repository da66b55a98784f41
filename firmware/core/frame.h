/* Frames of PROTOCOL.md: header(8) payload crc32(4), COBS-encoded, ended by 0x00.
 * The receiver is incremental (feed it bytes as they arrive) and needs no heap. */
#ifndef FW_FRAME_H
#define FW_FRAME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cobs.h"

#define FRAME_VERSION     1
#define FRAME_HEADER      8
#define FRAME_CRC         4
#define FRAME_MAX_PAYLOAD 1088
#define FRAME_MAX         (FRAME_HEADER + FRAME_MAX_PAYLOAD + FRAME_CRC)
/* Longest legal run of encoded bytes between delimiters, and a full wire frame with its 0x00. */
#define FRAME_MAX_ENCODED COBS_MAX_ENCODED(FRAME_MAX)
#define FRAME_MAX_WIRE    (FRAME_MAX_ENCODED + 1)

#define FRAME_KIND_BAD    0xFF
#define FRAME_SEQ_BAD     0xFFFF

typedef struct {
    uint8_t kind;
    uint16_t seq;
    uint8_t status;
    uint16_t len;
    const uint8_t *payload; /* points into the receiver's buffer; valid until the next feed */
    uint32_t crc;           /* the frame's CRC field: identifies its exact bytes */
} frame_t;

/* Encodes a frame ready for the wire (COBS + 0x00). Returns its length, 0 if len is too
 * large or cap too small. */
size_t frame_encode(uint8_t kind, uint16_t seq, uint8_t status, const uint8_t *payload,
                    uint16_t len, uint8_t *out, size_t cap);

typedef enum { FRAME_RX_NONE, FRAME_RX_FRAME, FRAME_RX_BAD } frame_rx_result_t;

typedef struct {
    uint8_t enc[FRAME_MAX_ENCODED];
    uint8_t dec[FRAME_MAX];
    size_t n;
    bool overflow; /* too long: discarding until the next 0x00 */
} frame_rx_t;

void frame_rx_init(frame_rx_t *rx);
/* Feeds one byte. FRAME_RX_FRAME: *out holds a complete frame with a valid CRC and header.
 * FRAME_RX_BAD: a delimited frame failed (too long, COBS, version, length or CRC).
 * An empty frame (0x00 0x00) is ignored: hosts may send a lone 0x00 to resynchronise. */
frame_rx_result_t frame_rx_feed(frame_rx_t *rx, uint8_t byte, frame_t *out);
#endif
